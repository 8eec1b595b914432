import { randomUUID } from 'node:crypto';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { cliImportEnv, importCalls, runCli, writeJsonl } from '../../harness/support/import-fixtures.js';
import { makeWav } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { TEST_REDIS_URL } from '../../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/** IMPORT_DAILY_SHARE over a shortened day: imports stop at their share, live calls still go, and nothing fails. */
describe('import daily share', () => {
  let env: PipelineEnv;
  const services: ServiceHandle[] = [];
  const DAY_MS = 6_000;

  beforeAll(async () => {
    env = await startPipelineEnv('import-share');
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await env?.close();
  });

  it("When an import needs more than its share of several days, then no day gives imports more than the share, each call's create and upload fall on the same day, a live call goes through the same day, and every import job waits without failing", async () => {
    // 10 requests a day, 40 % for imports: 4 import requests (2 calls) a day; 5 calls need 3 days.
    const settings = { GONG_DAILY_LIMIT: '10', GONG_DAILY_WINDOW_SECONDS: String(DAY_MS / 1000), IMPORT_DAILY_SHARE: '0.4', GONG_RATE_LIMIT_PER_SECOND: '20' };
    const serviceEnv = env.serviceEnv(settings);
    const api = await startInProcess({ ...serviceEnv, ROLE: 'api' });
    services.push(api);
    services.push(await startInProcess({ ...serviceEnv, ROLE: 'worker', WORKER_CONCURRENCY: '2' }));
    const rows = await importCalls(env.s3, 5, 'share');
    const manifest = await writeJsonl(rows);
    // Start just after a day begins, so that no request admitted at a day's very end is counted by the next one.
    await new Promise((resolve) => setTimeout(resolve, DAY_MS - (Date.now() % DAY_MS) + 100));
    env.gong.ledger.reset();
    const cliEnv = cliImportEnv({ redisUrl: TEST_REDIS_URL, prefix: env.prefix, s3Endpoint: serviceEnv.S3_ENDPOINT! }, settings);
    const cli = runCli(cliEnv, ['import', manifest, '--name', 'share', '--progress-seconds', '0.5']);
    // Once a day's import share is spent (4 requests that day), a live call still gets through before the day ends.
    const liveId = `live-${randomUUID()}`;
    await env.s3.put('recordings', `${liveId}.wav`, makeWav(2048));
    let sentDay = -1;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const today = Math.floor(Date.now() / DAY_MS);
      const spent = env.gong.ledger.requests().filter((r) => Math.floor(r.at / DAY_MS) === today).length >= 4;
      // Not in the day's last second: the live call must be able to finish within the day.
      if (spent && Date.now() % DAY_MS < DAY_MS - 1_500) {
        sentDay = today;
        break;
      }
    }
    expect(sentDay).toBeGreaterThan(0);
    expect((await sendGenericWebhook(api.url, recordingReadyEvent(liveId, `${liveId}.wav`))).statusCode).toBe(202);
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/in Gong\s+5/);

    const liveCall = env.gong.ledger.byClientUniqueId(liveId);
    const importIds = new Set(rows.map((r) => String(r.callId)));
    const importCallIds = new Set(env.gong.ledger.calls().filter((c) => importIds.has(c.clientUniqueId)).map((c) => c.callId));
    const perDay = new Map<number, number>();
    for (const r of env.gong.ledger.requests()) {
      const upload = /\/calls\/([^/]+)\/media$/.exec(r.path);
      const isImport = upload ? importCallIds.has(upload[1]!) : r.op === 'createCall' && !(liveCall && Math.abs(liveCall.createdAt - r.at) < 5);
      if (!isImport) continue;
      const day = Math.floor(r.at / DAY_MS);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(4);
    expect(perDay.size).toBeGreaterThanOrEqual(3);
    // Each call's create kept the share's room for its upload: no call was left in Gong without its recording
    // until the next day.
    for (const call of env.gong.ledger.calls().filter((c) => importIds.has(c.clientUniqueId))) {
      const upload = env.gong.ledger.requests().find((r) => r.path.endsWith(`/calls/${call.callId}/media`));
      expect({ call: call.clientUniqueId, uploadDay: Math.floor(upload!.at / DAY_MS) }).toEqual({ call: call.clientUniqueId, uploadDay: Math.floor(call.createdAt / DAY_MS) });
    }
    expect(liveCall).toBeDefined();
    expect(Math.floor(liveCall!.createdAt / DAY_MS)).toBe(sentDay);
    const live = await env.queue.queue.getJob(jobIdForCall(liveId));
    expect(live?.finishedOn).toBeDefined();
    for (const row of rows) {
      const job = await env.queue.queue.getJob(jobIdForCall(String(row.callId)));
      expect(job?.failedReason).toBeUndefined();
      expect(job?.attemptsMade).toBeLessThanOrEqual(1); // waiting for the share counted no attempt
    }
  }, 90_000);
});
