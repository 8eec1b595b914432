/**
 * `npm run bench:ratelimit`: a backlog of calls (BENCH_CALLS, default 200) through several worker processes
 * (BENCH_WORKERS, default 3) against the Gong emulator enforcing N requests per second (BENCH_RATE, default 20),
 * in push and pull mode, beside the naive approach measured in the same run (a fixed pause between requests in
 * each process). Prints achieved requests per second as a share of N, 429s, and Gong requests per call.
 * GONG_RATE_WINDOW_MARGIN_MS passes through to the service (default 50, as in production).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { startGongEmulator, type GongEmulator } from '../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3, type LocalS3 } from '../harness/support/local-s3.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { makeWav } from '../harness/support/make-wav.js';
import { startService } from '../harness/support/service-process.js';
import { openTestQueue } from '../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../harness/support/webhook.js';
import { ensureRedis } from './lib/ensure-redis.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Row {
  name: string;
  calls: number;
  /** Every request sent, 429s included. */
  requests: number;
  throttled: number;
  seconds: number;
}

const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
const gong = await startGongEmulator({ ratePerSecond: RATE });
const s3 = await startLocalS3(['recordings']);
const rows: Row[] = [];
try {
  say(`${CALLS} calls, ${WORKERS} worker processes, emulator limit ${RATE} requests/s`);
  rows.push(await naive(gong));
  rows.push(await service(gong, s3, 'push'));
  rows.push(await service(gong, s3, 'pull'));
} finally {
  await Promise.all([gong.close(), s3.close()]);
  await redis.close();
}

say(`\n| approach | calls | Gong requests (429s included) | requests per call | 429s | accepted requests/s | share of N=${RATE} |`);
say('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const rps = (r.requests - r.throttled) / r.seconds;
  say(`| ${r.name} | ${r.calls} | ${r.requests} | ${(r.requests / r.calls).toFixed(2)} | ${r.throttled} | ${rps.toFixed(2)} | ${((rps / RATE) * 100).toFixed(1)} % |`);
}

/** Requests Gong accepted or refused between the first and the last one, as the emulator saw them. */
function measure(name: string, emulator: GongEmulator, calls: number): Row {
  const requests = emulator.ledger.requests().filter((r) => r.op !== 'other');
  const times = requests.map((r) => r.at);
  const accepted = requests.filter((r) => r.status !== 429).length;
  // The span from the first request to the last, plus one request interval: n requests at rate N take n/N s.
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000 + 1 / RATE;
  return { name, calls, requests: requests.length, throttled: requests.length - accepted, seconds };
}

async function naive(emulator: GongEmulator): Promise<Row> {
  emulator.ledger.reset();
  const listKey = `bench-naive-${randomUUID()}`;
  const client = new Redis(redis.url);
  for (let i = 0; i < CALLS; i++) {
    const callId = `naive-${randomUUID()}`;
    const body = { clientUniqueId: callId, actualStart: '2026-11-20T10:00:00Z', direction: 'Outbound', primaryUser: '1', parties: [{ userId: '1' }] };
    await client.rpush(listKey, JSON.stringify({ body, audioBase64: makeWav(8 * 1024).toString('base64') }));
  }
  const pauseMs = Math.ceil((1000 * WORKERS) / RATE);
  say(`naive: ${WORKERS} processes, each pausing ${pauseMs} ms between requests...`);
  const children = Array.from({ length: WORKERS }, () =>
    spawn(process.execPath, ['--import', 'tsx', 'tools/bench/naive-connector.ts', redis.url, listKey, emulator.url, emulator.authHeader(), String(pauseMs)], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  await Promise.all(children.map((c) => once(c, 'exit')));
  await client.del(listKey);
  await client.quit();
  return measure('naive fixed pause', emulator, CALLS);
}

async function service(emulator: GongEmulator, store: LocalS3, mode: 'push' | 'pull'): Promise<Row> {
  emulator.ledger.reset();
  const prefix = `bench-rl-${randomUUID().slice(0, 8)}`;
  const queue = await openTestQueue(prefix, redis.url);
  const env = localServiceEnv(
    { redisUrl: redis.url, prefix, gongUrl: emulator.url, s3Endpoint: store.endpoint },
    { LOG_LEVEL: 'info', MEDIA_MODE: mode, GONG_RATE_LIMIT_PER_SECOND: String(RATE), GONG_RATE_WINDOW_MARGIN_MS: process.env.GONG_RATE_WINDOW_MARGIN_MS ?? '50' },
  );
  const api = await startService({ ...env, ROLE: 'api' });
  say(`service (${mode}): enqueueing ${CALLS} calls...`);
  const jobs = [];
  for (let i = 0; i < CALLS; i++) {
    const callId = `bench-${randomUUID()}`;
    await store.put('recordings', `${callId}.wav`, makeWav(8 * 1024));
    const answer = await sendGenericWebhook(api.url, recordingReadyEvent(callId, `${callId}.wav`));
    jobs.push(JSON.parse(answer.body).jobId as string);
  }
  say(`service (${mode}): ${WORKERS} worker processes draining the backlog...`);
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startService({ ...env, ROLE: 'worker', WORKER_CONCURRENCY: '4' })));
  try {
    await Promise.all(jobs.map(async (id) => (await queue.queue.getJob(id))!.waitUntilFinished(queue.events, 10 * 60_000)));
  } finally {
    await Promise.all([api, ...workers].map((s) => s.stop()));
    await queue.close();
  }
  return measure(`gong-ingest, ${mode} mode`, emulator, CALLS);
}
