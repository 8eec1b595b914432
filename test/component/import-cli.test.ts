import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { cliImportEnv, importCalls, manifestRow, runCli, writeJsonl } from '../../harness/support/import-fixtures.js';
import { makeWav } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startService, type ServiceProcess } from '../../harness/support/service-process.js';
import { openTestQueue, TEST_REDIS_URL, uniquePrefix, type TestQueue } from '../../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/**
 * Historical imports end to end: the CLI in its own process, worker processes of the real service, s3rver and the
 * Gong emulator, on the shared Redis under a prefix of their own per test.
 */
describe('gong-ingest import', () => {
  let env: PipelineEnv;
  const services: ServiceProcess[] = [];
  const queues: TestQueue[] = [];

  beforeAll(async () => {
    env = await startPipelineEnv('import');
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all(queues.map((q) => q.close()));
    await env?.close();
  });

  /** A fresh prefix with its queue view, the settings of the CLI and of service processes on it. */
  async function deployment(settings: Record<string, string> = {}) {
    const prefix = uniquePrefix('import');
    const queue = await openTestQueue(prefix);
    queues.push(queue);
    const serviceEnv = env.serviceEnv({ QUEUE_PREFIX: prefix, ...settings });
    const cliEnv = cliImportEnv({ redisUrl: TEST_REDIS_URL, prefix, s3Endpoint: serviceEnv.S3_ENDPOINT! }, { JOB_BACKOFF_MS: '200', ...settings });
    const start = async (role: string, extra: Record<string, string> = {}) => {
      const service = await startService({ ...serviceEnv, ROLE: role, ...extra });
      services.push(service);
      return service;
    };
    return { prefix, queue, cliEnv, start };
  }

  it('When a manifest has invalid rows and a missing recording, then the dry run names each by line and field, queues nothing and exits 1', async () => {
    const d = await deployment();
    const [good] = await importCalls(env.s3, 1);
    const manifest = await writeJsonl([
      good!,
      manifestRow('bad-date', 'history/x.wav', { startedAt: 'yesterday' }),
      '{not json',
      '',
      manifestRow('missing-recording', 'history/nowhere.wav'),
      manifestRow('bad-bucket', 'history/y.wav', { recording: { bucket: 'elsewhere', key: 'y.wav' }, direction: 'Sideways' }),
    ]);
    const result = await runCli(d.cliEnv, ['import', manifest, '--dry-run']).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/rows read\s+5/);
    expect(result.stdout).toMatch(/valid \(recording checked\)\s+1/);
    expect(result.stdout).toMatch(/invalid rows\s+3/);
    expect(result.stdout).toMatch(/^2\s+startedAt\s+must be an ISO-8601/m);
    expect(result.stdout).toMatch(/^3\s+\(line\)\s+is not valid JSON/m);
    expect(result.stdout).toMatch(/^6\s+direction\s+/m);
    expect(result.stdout).toMatch(/^5\s+s3:\/\/recordings\/history\/nowhere\.wav\s+recording_missing/m);
    expect(result.stdout).toMatch(/total bytes\s+2048/);
    expect(result.stdout).toMatch(/time under the current budget/);
    expect(await d.queue.counts()).toMatchObject({ waiting: 0, prioritized: 0 });

    const clean = await runCli(d.cliEnv, ['import', await writeJsonl([good!]), '--dry-run', '--json']).done;
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ rows: 1, valid: 1, invalid: 0 });
  });

  it('When 300 calls are imported while 20 live webhooks arrive, then every live call is in Gong before the import ends, each within a few requests', async () => {
    const rate = 20;
    const d = await deployment({ GONG_RATE_LIMIT_PER_SECOND: String(rate), GONG_RATE_WINDOW_MARGIN_MS: '0' });
    env.gong.ledger.reset();
    const rows = await importCalls(env.s3, 300);
    const manifest = await writeJsonl(rows);
    const api = await d.start('api');
    await d.start('worker', { WORKER_CONCURRENCY: '8' });
    const cli = runCli(d.cliEnv, ['import', manifest, '--name', 'history', '--progress-seconds', '1']);
    await cli.waitForErr(/in Gong [1-9]\d/);

    const live: Array<{ callId: string; sentAt: number }> = [];
    for (let i = 0; i < 20; i++) {
      const callId = `live-${randomUUID()}`;
      await env.s3.put('recordings', `${callId}.wav`, makeWav(2048));
      const sentAt = Date.now();
      expect((await sendGenericWebhook(api.url, recordingReadyEvent(callId, `${callId}.wav`))).statusCode).toBe(202);
      live.push({ callId, sentAt });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const finished = await Promise.all(live.map(async (l) => {
      const job = (await d.queue.queue.getJob(jobIdForCall(l.callId)))!;
      await job.waitUntilFinished(d.queue.events, 60_000);
      return { ...l, finishedOn: (await d.queue.queue.getJob(job.id!))!.finishedOn! };
    }));
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/in Gong\s+300/);
    const importEnded = Math.max(...env.gong.ledger.calls().filter((c) => c.clientUniqueId.startsWith('old-')).map((c) => c.createdAt));
    const waits = finished.map((f) => f.finishedOn - f.sentAt);
    // A live call takes two requests; it may wait for a worker slot (an import job finishing its requests) and the
    // turns already given. Ten requests' time plus a loaded machine's slack is "a few"; the import takes 30 s.
    for (const f of finished) expect(f.finishedOn).toBeLessThan(importEnded);
    expect(Math.max(...waits)).toBeLessThan((10 * 1000) / rate + 2_000);
    expect(env.gong.ledger.count({ status: 429 })).toBe(0);
    expect(env.gong.ledger.calls()).toHaveLength(320);
  }, 180_000);

  it('When the CLI and a worker are killed mid-way, then --resume finishes the import with each call in Gong once, and a second import of the manifest makes no Gong request', async () => {
    const d = await deployment({ GONG_RATE_LIMIT_PER_SECOND: '20', WORKER_LOCK_DURATION_MS: '3000' });
    env.gong.ledger.reset();
    const rows = await importCalls(env.s3, 120);
    const manifest = await writeJsonl(rows);
    const worker = await d.start('worker', { WORKER_CONCURRENCY: '4' });
    // Small batches and a small queue allowance: the CLI is still reading when it is killed.
    const cli = runCli({ ...d.cliEnv }, ['import', manifest, '--name', 'crashy', '--batch-size', '10', '--max-queued', '20', '--progress-seconds', '0.5']);
    await cli.waitForErr(/in Gong [1-9]/);
    cli.proc.kill('SIGKILL');
    await worker.stop('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    const killed = await d.queue.queue.client.then((c) => c.hgetall(`{${d.prefix}}:import:run:crashy`));
    expect(killed.status).toBe('reading');
    expect(Number(killed.cursorLine)).toBeLessThan(120);
    await d.start('worker', { WORKER_CONCURRENCY: '4' });

    const resumed = await runCli(d.cliEnv, ['import', '--resume', 'crashy', '--progress-seconds', '1']).done;
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/in Gong\s+120/);
    const ids = env.gong.ledger.calls().map((c) => c.clientUniqueId);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toHaveLength(120);
    expect(env.gong.ledger.count({ op: 'createCall', status: 200 })).toBe(120);

    const before = env.gong.ledger.requests().length;
    const again = await runCli(d.cliEnv, ['import', manifest, '--name', 'again']).done;
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already known \(not added\)\s+120/);
    expect(env.gong.ledger.requests().length).toBe(before);

    const list = await runCli(d.cliEnv, ['imports', '--json']).done;
    expect(JSON.parse(list.stdout).map((r: { name: string }) => r.name)).toEqual(['again', 'crashy']);
  }, 180_000);
});
