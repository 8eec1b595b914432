import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { cliImportEnv, importCalls, runCli, writeJsonl } from '../../harness/support/import-fixtures.js';
import { makeWav } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { openTestQueue, TEST_REDIS_URL, uniquePrefix, type TestQueue } from '../../harness/support/test-queue.js';

/** CSV manifests, S3 prefixes, the failed-rows file and cancelling, with the real CLI, worker, s3rver and emulator. */
describe('gong-ingest import sources', () => {
  let env: PipelineEnv;
  const services: ServiceHandle[] = [];
  const queues: TestQueue[] = [];

  beforeAll(async () => {
    env = await startPipelineEnv('import-src');
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all(queues.map((q) => q.close()));
    await env?.close();
  });

  async function deployment() {
    const prefix = uniquePrefix('import-src');
    const queue = await openTestQueue(prefix);
    queues.push(queue);
    const serviceEnv = env.serviceEnv({ QUEUE_PREFIX: prefix });
    const cliEnv = cliImportEnv({ redisUrl: TEST_REDIS_URL, prefix, s3Endpoint: serviceEnv.S3_ENDPOINT! });
    const startWorker = async () => {
      const service = await startInProcess({ ...serviceEnv, ROLE: 'worker' });
      services.push(service);
      return service;
    };
    return { prefix, queue, cliEnv, startWorker };
  }

  it('When a CSV manifest uses rep and customer columns, quotes and an invalid row, then the valid calls reach Gong and the failed-rows file re-imports once fixed', async () => {
    const d = await deployment();
    const worker = await d.startWorker();
    const ids = [`csv-${randomUUID()}`, `csv-${randomUUID()}`, `csv-${randomUUID()}`];
    for (const id of ids) await env.s3.put('recordings', `csv/${id}.wav`, makeWav(2048));
    const csv = [
      'callId,startedAt,direction,repUserId,repName,customerNumber,recording.bucket,recording.key,title,durationSeconds',
      `${ids[0]},2025-05-01T09:00:00Z,Inbound,234599484848423,Ann Rep,+15550001111,recordings,csv/${ids[0]}.wav,"Renewal, with ""quotes""\nand a second line",61.5`,
      `${ids[1]},not-a-date,Outbound,234599484848423,Ann Rep,+15550002222,recordings,csv/${ids[1]}.wav,Second,`,
      `${ids[2]},2025-05-02T09:00:00Z,Outbound,234599484848423,Ann Rep,+15550003333,recordings,csv/${ids[2]}.wav,Third,30`,
    ].join('\r\n');
    const manifest = await writeJsonl([], 'unused.jsonl').then((p) => join(dirname(p), 'calls.csv'));
    await writeFile(manifest, `${csv}\r\n`);
    const failedFile = join(dirname(manifest), 'failed.csv');

    const result = await runCli(d.cliEnv, ['import', manifest, '--name', 'csv-run', '--failed-rows', failedFile]).done;
    expect(result.code).toBe(1); // a row failed
    expect(result.stdout).toMatch(/in Gong\s+2/);
    expect(result.stdout).toMatch(/invalid rows\s+1/);
    const first = env.gong.ledger.byClientUniqueId(ids[0]!)!;
    expect(first.body).toMatchObject({
      actualStart: '2025-05-01T09:00:00Z',
      direction: 'Inbound',
      primaryUser: '234599484848423',
      title: 'Renewal, with "quotes"\nand a second line',
      duration: 61.5,
      parties: [{ name: 'Ann Rep', userId: '234599484848423' }, { phoneNumber: '+15550001111' }],
    });
    expect(env.gong.ledger.byClientUniqueId(ids[1]!)).toBeUndefined();

    const failed = await readFile(failedFile, 'utf8');
    const [header, row] = failed.trim().split('\n');
    expect(header).toMatch(/,_error$/);
    expect(row).toContain(ids[1]);
    expect(row).toMatch(/startedAt: must be an ISO-8601/);
    await writeFile(failedFile, failed.replace('not-a-date', '2025-05-03T09:00:00Z'));
    const again = await runCli(d.cliEnv, ['import', failedFile, '--name', 'csv-fixed']).done;
    expect(again.code).toBe(0);
    expect(env.gong.ledger.byClientUniqueId(ids[1]!)?.body).toMatchObject({ actualStart: '2025-05-03T09:00:00Z' });
    await worker.stop();
  });

  it('When an S3 prefix is imported, then each recording becomes a call with its sidecar details and the sidecars themselves are skipped', async () => {
    const d = await deployment();
    await d.startWorker();
    const folder = `export-${randomUUID()}/`;
    const keys = [`${folder}a.wav`, `${folder}b.wav`];
    for (const key of keys) {
      await env.s3.put('recordings', key, makeWav(2048));
      const sidecar = { startedAt: '2025-04-01T08:00:00Z', direction: 'Inbound', primaryUser: '234599484848423', parties: [{ name: 'Ann', userId: '234599484848423' }], title: `from ${key}` };
      await env.s3.put('recordings', `${key}.json`, Buffer.from(JSON.stringify(sidecar)));
    }
    const dry = await runCli(d.cliEnv, ['import', `s3://recordings/${folder}`, '--dry-run', '--json']).done;
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ rows: 4, valid: 2, skipped: 2, invalid: 0 });

    const result = await runCli(d.cliEnv, ['import', `s3://recordings/${folder}`, '--name', 's3-run']).done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/in Gong\s+2/);
    expect(result.stdout).toMatch(/skipped \(not recordings\)\s+2/);
    for (const key of keys) expect(env.gong.ledger.byClientUniqueId(`s3:recordings/${key}`)?.body).toMatchObject({ title: `from ${key}`, direction: 'Inbound' });
  });

  it('When a run is cancelled before workers reach it, then its queued jobs are removed and Gong gets nothing', async () => {
    const d = await deployment();
    const rows = await importCalls(env.s3, 30, 'cancel');
    const manifest = await writeJsonl(rows);
    const queued = await runCli(d.cliEnv, ['import', manifest, '--name', 'to-cancel', '--no-wait']).done;
    expect(queued.code).toBe(0);
    expect((await d.queue.counts()).prioritized).toBe(30);
    const cancelled = await runCli(d.cliEnv, ['import', '--cancel', 'to-cancel']).done;
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(/removed 30 job/);
    expect((await d.queue.counts()).prioritized).toBe(0);
    await d.startWorker();
    const list = JSON.parse((await runCli(d.cliEnv, ['imports', '--json']).done).stdout) as Array<{ name: string; status: string; counts: { cancelled: number }; pending: number }>;
    expect(list[0]).toMatchObject({ name: 'to-cancel', status: 'cancelled', counts: { cancelled: 30 }, pending: 0 });
    expect(await d.queue.queue.getJob(jobIdForCall(String(rows[0]!.callId)))).toBeUndefined();
    expect(env.gong.ledger.calls().filter((c) => c.clientUniqueId.startsWith('cancel-'))).toHaveLength(0);
  });

  it('When the command line is wrong or the run is unknown, then the CLI says so and exits non-zero', async () => {
    const d = await deployment();
    const both = await runCli(d.cliEnv, ['import', '--resume', 'a', '--cancel', 'a']).done;
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
    const unknown = await runCli(d.cliEnv, ['import', '--resume', 'nope']).done;
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No import run named "nope"/);
    const badName = await runCli(d.cliEnv, ['import', '/nonexistent.jsonl', '--name', 'Bad Name']).done;
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/is not a run name/);
    const missing = await runCli(d.cliEnv, ['import', '/nonexistent.jsonl', '--name', 'missing']).done;
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read the manifest/);
  });
});
