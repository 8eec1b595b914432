/**
 * `npm run bench:upload`: streams a large recording from s3rver into the Gong emulator, once through the service's
 * worker (built, in its own process) and once through the plainest Node pipe (tools/bench/pipe-baseline.ts, also
 * its own process), and prints throughput and peak RSS side by side. Sizes: BENCH_SIZES_MB (default "64,1024").
 * Goal: the worker reaches at least 90 % of the baseline's MB/s, and its peak RSS does not grow with the size.
 * The worker runs twice per size: tracing off, and tracing on (OTLP/HTTP to a receiver in this process), to show
 * what tracing costs an upload. BENCH_TRACING=off skips the traced run. The worker runs with the chart's Node flags
 * (worker.nodeOptions); BENCH_WORKER_NODE_OPTIONS replaces them ("" for Node's defaults), to compare.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import got from 'got';
import { jobIdForCall } from '../src/queue/job-id.js';
import { startGongEmulator } from '../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3 } from '../harness/support/local-s3.js';
import { startOtlpReceiver } from '../harness/support/otlp-receiver.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { wavStream } from '../harness/support/make-wav.js';
import { startService } from '../harness/support/service-process.js';
import { openTestQueue } from '../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../harness/support/webhook.js';
import { chartNodeOptions } from './deploy/values-table.js';
import { ensureRedis } from './lib/ensure-redis.js';
import { peakRssBytes } from './lib/peak-rss.js';

const MiB = 1024 * 1024;
const sizes = (process.env.BENCH_SIZES_MB ?? '64,1024').split(',').map((s) => Number(s) * MiB);
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Run {
  bytes: number;
  seconds: number;
  peakRssBytes: number;
}

say('building the service (npm run build) so the worker runs as in production...');
if (spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
const gong = await startGongEmulator();
const s3 = await startLocalS3(['recordings']);
const receiver = await startOtlpReceiver();
const traced = process.env.BENCH_TRACING !== 'off';
// The worker runs with the Node flags the chart gives it (worker.nodeOptions); BENCH_WORKER_NODE_OPTIONS replaces them.
const workerNodeOptions = process.env.BENCH_WORKER_NODE_OPTIONS ?? (await chartNodeOptions('worker'));
const rows: string[] = [];

try {
  for (const size of sizes) {
    const key = `bench/${randomUUID()}.wav`;
    say(`\nwriting a ${size / MiB} MiB recording to s3rver...`);
    const { stream } = wavStream(size);
    await s3.put('recordings', key, stream, size);

    gong.ledger.reset();
    const baseline = await runBaseline(key);
    gong.ledger.reset(); // the emulator, like Gong, refuses the same bytes twice
    const worker = await runWorker(key, {});
    gong.ledger.reset();
    const withTracing = traced ? await runWorker(key, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'gong-ingest-bench' }) : undefined;
    const mbps = (r: Run) => r.bytes / MiB / r.seconds;
    rows.push(
      [`${size / MiB} MiB`, mbps(baseline).toFixed(1), mbps(worker).toFixed(1), `${((mbps(worker) / mbps(baseline)) * 100).toFixed(0)} %`,
        withTracing ? mbps(withTracing).toFixed(1) : '—', withTracing ? `${((mbps(withTracing) / mbps(worker)) * 100).toFixed(0)} %` : '—',
        (baseline.peakRssBytes / MiB).toFixed(0), (worker.peakRssBytes / MiB).toFixed(0), withTracing ? (withTracing.peakRssBytes / MiB).toFixed(0) : '—'].join(' | '),
    );
  }
} finally {
  await Promise.all([gong.close(), s3.close(), receiver.close()]);
  await redis.close();
}

say('\n| size | baseline MB/s | worker MB/s | worker / baseline | worker traced MB/s | traced / untraced | baseline peak RSS MiB | worker peak RSS MiB | traced worker peak RSS MiB |');
say('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) say(`| ${row} |`);

async function runBaseline(key: string): Promise<Run> {
  const created = await got.post(`${gong.url}/calls`, {
    headers: { authorization: gong.authHeader() },
    json: { clientUniqueId: `baseline-${randomUUID()}`, actualStart: '2026-11-20T10:00:00Z', direction: 'Inbound', primaryUser: '1', parties: [{ userId: '1' }] },
  }).json<{ callId: string }>();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/bench/pipe-baseline.ts', s3.endpoint, 'recordings', key, `${gong.url}/calls/${created.callId}/media`, gong.authHeader()], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`baseline exited ${code}`);
  return JSON.parse(out.trim()) as Run;
}

async function runWorker(key: string, tracing: Record<string, string>): Promise<Run> {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const queue = await openTestQueue(prefix, redis.url);
  const env = localServiceEnv({ redisUrl: redis.url, prefix, gongUrl: gong.url, s3Endpoint: s3.endpoint }, { LOG_LEVEL: 'info', WORKER_CONCURRENCY: '1' });
  // The worker runs alone in its process, so its peak RSS is the upload's, not the API's.
  const api = await startService({ ...env, ROLE: 'api' }, { built: true });
  const service = await startService({ ...env, ...tracing, ROLE: 'worker', ...(workerNodeOptions ? { NODE_OPTIONS: workerNodeOptions } : {}) }, { built: true });
  try {
    const callId = `bench-${randomUUID()}`;
    await sendGenericWebhook(api.url, recordingReadyEvent(callId, key));
    const job = (await queue.queue.getJob(jobIdForCall(callId)))!;
    const result = await job.waitUntilFinished(queue.events, 30 * 60_000);
    return { bytes: result.bytes, seconds: result.uploadMs / 1000, peakRssBytes: peakRssBytes(service.proc.pid!) };
  } finally {
    await Promise.all([service.stop(), api.stop()]);
    await queue.close();
  }
}
