/**
 * `npm run bench:tenants`: BENCH_TENANTS (default 20) tenants, each its own Gong emulator with its own limit (mixed:
 * 2, 3 and 5 requests/s), served by one deployment (an API+worker process and a worker process, concurrency 4
 * each). The small tenants send a call every BENCH_SMALL_EVERY_MS (default 4000) for BENCH_WINDOW_S seconds
 * (default 30); run twice: without and with a backlog of BENCH_BIG (default 600) calls in one big tenant (5
 * requests/s) queued at the start. Prints, per run: the big tenant's accepted Gong requests as a share of its own
 * limit over the window, 429s at every emulator, and the small tenants' webhook-to-media p50/p99/max.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { startGongEmulator, type GongEmulator } from '../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3, type LocalS3 } from '../harness/support/local-s3.js';
import { makeWav } from '../harness/support/make-wav.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { startService, type ServiceProcess } from '../harness/support/service-process.js';
import { tenantSecret, writeTenantsFile, type TestTenant } from '../harness/support/tenant-fixtures.js';
import { openTestQueue, uniquePrefix, type TestQueue } from '../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../harness/support/webhook.js';
import { jobIdForCall } from '../src/queue/job-id.js';
import { percentile } from './bench/admission-log.js';
import { ensureRedis } from './lib/ensure-redis.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 20);
const BIG = Number(process.env.BENCH_BIG ?? 600);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 30);
const SMALL_EVERY_MS = Number(process.env.BENCH_SMALL_EVERY_MS ?? 4000);
const MARGIN_MS = Number(process.env.GONG_RATE_WINDOW_MARGIN_MS ?? 50);
const RATES = [2, 3, 5];
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Run {
  label: string;
  bigShare?: number;
  bigAccepted?: number;
  throttled: number;
  smallLatencies: number[];
  smallCalls: number;
  perRateP99: Record<number, number>;
}

const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
const s3 = await startLocalS3(['recordings', ...Array.from({ length: TENANTS }, (_, i) => `t${i}-recordings`)]);
const gongs: GongEmulator[] = [];
for (let i = 0; i < TENANTS; i++) {
  const rate = i === 0 ? 5 : RATES[i % RATES.length]!;
  gongs.push(await startGongEmulator({ accessKey: `key-${i}`, accessKeySecret: `secret-${i}`, ratePerSecond: rate }));
}
const tenants: TestTenant[] = gongs.map((g, i) => ({ id: `t${i}`, gongUrl: g.url, accessKey: `key-${i}`, accessKeySecret: `secret-${i}`, ratePerSecond: i === 0 ? 5 : RATES[i % RATES.length]!, buckets: [`t${i}-recordings`] }));
/** Each call its own bytes: Gong refuses media it has seen before, which would turn uploads into failures. */
function uniqueAudio(): Buffer {
  const audio = makeWav(4 * 1024);
  randomBytes(16).copy(audio, audio.length - 16);
  return audio;
}
const runs: Run[] = [];
try {
  say(`${TENANTS} tenants (t0 big at 5 requests/s, others ${RATES.join('/')} requests/s), small tenants one call per ${SMALL_EVERY_MS} ms each for ${WINDOW_S} s, big backlog ${BIG} calls, margin ${MARGIN_MS} ms`);
  runs.push(await run('without the big backlog', 0));
  runs.push(await run(`with ${BIG} calls queued in t0`, BIG));
} finally {
  await Promise.all([...gongs.map((g) => g.close()), s3.close()]);
  await redis.close();
}

say('\n| run | big tenant t0: accepted requests / its limit × window | 429s (all emulators) | small tenants\' calls | small p50 / p99 / max s | small p99 by tenant rate 2 / 3 / 5 s |');
say('|---|---|---|---|---|---|');
for (const r of runs) {
  const l = r.smallLatencies;
  say(`| ${r.label} | ${r.bigShare === undefined ? '—' : `${r.bigAccepted} = ${(r.bigShare * 100).toFixed(1)} %`} | ${r.throttled} | ${r.smallCalls} | ${fmt(percentile(l, 50))} / ${fmt(percentile(l, 99))} / ${fmt(Math.max(...l))} | ${RATES.map((rate) => fmt(r.perRateP99[rate] ?? NaN)).join(' / ')} |`);
}

function fmt(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—';
}

async function run(label: string, big: number): Promise<Run> {
  for (const g of gongs) g.ledger.reset();
  const file = writeTenantsFile(tenants);
  const prefix = uniquePrefix('bench-tenants');
  const queue: TestQueue = await openTestQueue(prefix, redis.url);
  const env = localServiceEnv({ redisUrl: redis.url, prefix, gongUrl: gongs[0]!.url, s3Endpoint: s3.endpoint }, { ...file.env, TENANTS_FILE: file.file, GONG_RATE_WINDOW_MARGIN_MS: String(MARGIN_MS), WORKER_CONCURRENCY: '4', LOG_LEVEL: 'info' });
  const services: ServiceProcess[] = [await startService({ ...env, ROLE: 'all' }), await startService({ ...env, ROLE: 'worker' })];
  const api = services[0]!;
  const send = async (t: TestTenant, callId: string) => {
    await s3.put(t.buckets[0]!, `${callId}.wav`, uniqueAudio());
    const answer = await sendGenericWebhook(`${api.url}/t/${t.id}`, recordingReadyEvent(callId, `${callId}.wav`, { recording: { bucket: t.buckets[0], key: `${callId}.wav` } }), { secret: tenantSecret(t.id) });
    if (answer.statusCode !== 202) throw new Error(`webhook for ${t.id} answered ${answer.statusCode}: ${answer.body}`);
  };
  try {
    for (let sent = 0; sent < big; sent += 20) await Promise.all(Array.from({ length: Math.min(20, big - sent) }, () => send(tenants[0]!, `big-${randomUUID()}`)));
    const start = Date.now();
    const small: Array<{ tenant: TestTenant; callId: string }> = [];
    const timers = tenants.slice(1).map((t, i) => {
      const fire = () => {
        const callId = `small-${randomUUID()}`;
        small.push({ tenant: t, callId });
        void send(t, callId);
      };
      // Staggered, so the small tenants' calls do not all arrive in the same millisecond.
      return setTimeout(function tick() {
        if (Date.now() - start > WINDOW_S * 1000) return;
        fire();
        setTimeout(tick, SMALL_EVERY_MS);
      }, (i * SMALL_EVERY_MS) / (tenants.length - 1));
    });
    await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000 + SMALL_EVERY_MS));
    timers.forEach(clearTimeout);
    const end = Date.now();
    const latencies: Array<{ rate: number; ms: number }> = [];
    for (const { tenant, callId } of small) {
      const job = await queue.queue.getJob(jobIdForCall(callId, tenant.id));
      if (!job) continue;
      await job.waitUntilFinished(queue.events, 120_000).catch(() => undefined);
      const done = await queue.queue.getJob(job.id!);
      if (done?.finishedOn) latencies.push({ rate: tenant.ratePerSecond, ms: done.finishedOn - Date.parse(done.data.receivedAt) });
    }
    const failed = (await queue.queue.getJobCounts('failed')).failed ?? 0;
    if (failed) say(`  (${label}: ${failed} jobs failed)`);
    const bigAccepted = gongs[0]!.ledger.requests().filter((r) => r.at >= start + 2_000 && r.at <= end && (r.status === 200 || r.status === 201)).length;
    const perRate: Record<number, number> = {};
    for (const rate of RATES) perRate[rate] = percentile(latencies.filter((l) => l.rate === rate).map((l) => l.ms), 99);
    return {
      label,
      bigAccepted: big ? bigAccepted : undefined,
      bigShare: big ? bigAccepted / (5 * ((end - start - 2_000) / 1000)) : undefined,
      throttled: gongs.reduce((n, g) => n + g.ledger.count({ status: 429 }), 0),
      smallLatencies: latencies.map((l) => l.ms),
      smallCalls: small.length,
      perRateP99: perRate,
    };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await queue.queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
