/**
 * `npm run bench:scale`: the same backlog (BENCH_CALLS, default 300) drained by 1, 2, 4 and 8 worker processes
 * (BENCH_WORKER_COUNTS) against the Gong emulator enforcing N requests per second (BENCH_RATE, default 20), in one
 * run. Prints per row: drain time, accepted requests/s as a share of N, 429s, requests per call, and the limiter's
 * admission-to-arrival lag (how late an admitted request reached Gong), which bounds how many 429s can slip through.
 * BENCH_CPU_HOGS (default 0) busy-loop processes load the cores meanwhile, like a shared CI machine.
 * GONG_RATE_WINDOW_MARGIN_MS passes through to the service (default 50, as in production).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { trafficKeys } from '../src/traffic/traffic-keys.js';
import { startGongEmulator, type GongEmulator } from '../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3, type LocalS3 } from '../harness/support/local-s3.js';
import { makeWav } from '../harness/support/make-wav.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { startService } from '../harness/support/service-process.js';
import { openTestQueue } from '../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../harness/support/webhook.js';
import { admissionLags, busiestWindow, percentile, sampleAdmissions } from './bench/admission-log.js';
import { ensureRedis } from './lib/ensure-redis.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const COUNTS = (process.env.BENCH_WORKER_COUNTS ?? '1,2,4,8').split(',').map(Number);
const CPU_HOGS = Number(process.env.BENCH_CPU_HOGS ?? 0);
const MARGIN_MS = Number(process.env.GONG_RATE_WINDOW_MARGIN_MS ?? 50);
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Row {
  workers: number;
  drainSeconds: number;
  requests: number;
  throttled: number;
  /** Most requests Gong saw arrive in any 1000 ms. */
  busiestSecond: number;
  /** Most admissions the limiter made in any 1000 ms + margin: never above N by construction. */
  busiestAdmissionWindow: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
}

const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
const gong = await startGongEmulator({ ratePerSecond: RATE });
const s3 = await startLocalS3(['recordings']);
const hogs: ChildProcess[] = [];
const rows: Row[] = [];
try {
  say(`${CALLS} calls per row, worker processes ${COUNTS.join(', ')} (concurrency 4 each), emulator limit N=${RATE} requests/s, margin ${MARGIN_MS} ms, ${CPU_HOGS} CPU hogs`);
  for (let i = 0; i < CPU_HOGS; i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  for (const workers of COUNTS) rows.push(await drain(gong, s3, workers));
} finally {
  for (const hog of hogs) hog.kill('SIGKILL');
  await Promise.all([gong.close(), s3.close()]);
  await redis.close();
}

say(`\n| worker processes | calls | drain time s | accepted requests/s | share of N=${RATE} | 429s | requests per call | busiest 1000 ms at Gong | busiest admission window | admission → arrival lag p50 / p99 / max ms |`);
say('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const rps = (r.requests - r.throttled) / r.drainSeconds;
  say(`| ${r.workers} | ${CALLS} | ${r.drainSeconds.toFixed(1)} | ${rps.toFixed(2)} | ${((rps / RATE) * 100).toFixed(1)} % | ${r.throttled} | ${(r.requests / CALLS).toFixed(2)} | ${r.busiestSecond} | ${r.busiestAdmissionWindow} | ${r.lagP50} / ${r.lagP99} / ${r.lagMax} |`);
}

async function drain(emulator: GongEmulator, store: LocalS3, workers: number): Promise<Row> {
  emulator.ledger.reset();
  const prefix = `bench-scale-${randomUUID().slice(0, 8)}`;
  const queue = await openTestQueue(prefix, redis.url);
  const env = localServiceEnv(
    { redisUrl: redis.url, prefix, gongUrl: emulator.url, s3Endpoint: store.endpoint },
    { LOG_LEVEL: 'warn', GONG_RATE_LIMIT_PER_SECOND: String(RATE), GONG_RATE_WINDOW_MARGIN_MS: String(MARGIN_MS) },
  );
  const api = await startService({ ...env, ROLE: 'api', LOG_LEVEL: 'info' });
  say(`${workers} worker(s): enqueueing ${CALLS} calls...`);
  const jobs: string[] = [];
  for (let i = 0; i < CALLS; i++) {
    const callId = `scale-${randomUUID()}`;
    await store.put('recordings', `${callId}.wav`, makeWav(8 * 1024));
    const answer = await sendGenericWebhook(api.url, recordingReadyEvent(callId, `${callId}.wav`));
    if (answer.statusCode !== 202) throw new Error(`webhook answered ${answer.statusCode}: ${answer.body}`);
    jobs.push((JSON.parse(answer.body) as { jobId: string }).jobId);
  }
  const sampler = new Redis(redis.url);
  const admissions = sampleAdmissions(sampler, trafficKeys(`{${prefix}}`).log);
  const started = await Promise.all(Array.from({ length: workers }, () => startService({ ...env, ROLE: 'worker', WORKER_CONCURRENCY: '4', LOG_LEVEL: 'info' })));
  say(`${workers} worker(s): draining...`);
  let admitted: number[] = [];
  try {
    await Promise.all(jobs.map(async (id) => (await queue.queue.getJob(id))!.waitUntilFinished(queue.events, 15 * 60_000)));
  } finally {
    admitted = await admissions.stop();
    await sampler.quit();
    await Promise.all([api, ...started].map((s) => s.stop()));
    await queue.close();
  }
  const requests = emulator.ledger.requests().filter((r) => r.op !== 'other');
  const arrivals = requests.map((r) => r.at);
  const throttled = requests.filter((r) => r.status === 429).length;
  const lags = admissionLags(admitted, arrivals);
  return {
    workers,
    // From the first request to the last plus one interval: n requests at N/s take n/N s.
    drainSeconds: (Math.max(...arrivals) - Math.min(...arrivals)) / 1000 + 1 / RATE,
    requests: requests.length,
    throttled,
    busiestSecond: busiestWindow(arrivals, 1000),
    busiestAdmissionWindow: busiestWindow(admitted, 1000 + MARGIN_MS),
    lagP50: percentile(lags, 50),
    lagP99: percentile(lags, 99),
    lagMax: lags.length ? Math.max(...lags) : 0,
  };
}
