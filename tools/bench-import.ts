/**
 * `npm run bench:import -- [--calls 10000] [--rate 20] [--live-per-second 1] [--live-seconds 40] [--manifest-lines 1000000]`
 *
 * In one run, against the Gong emulator enforcing `--rate` requests/s, with one API and one worker process:
 *   1. live only: webhooks at a steady rate; each call's time from webhook to media in Gong (job finished);
 *   2. the same live load while `--calls` calls are imported from a manifest by the CLI: the import's throughput as
 *      a share of what the per-second budget leaves it (the rate minus the live calls' requests), and the live calls'
 *      p50/p99 beside step 1;
 *   3. peak RSS of the CLI and the worker in step 2, and of the CLI reading manifests of `--calls` and of
 *      `--manifest-lines` lines (rows refused before any I/O, so reading alone is measured), and Redis memory per
 *      queued job. The daily budget is set out of the way: this measures the per-second share.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { jobIdForCall } from '../src/queue/job-id.js';
import { startGongEmulator } from '../harness/emulators/gong/create-gong-emulator.js';
import { cliImportEnv, manifestRow, runCli } from '../harness/support/import-fixtures.js';
import { startLocalS3, type LocalS3 } from '../harness/support/local-s3.js';
import { makeWav } from '../harness/support/make-wav.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { startService, type ServiceProcess } from '../harness/support/service-process.js';
import { openTestQueue, type TestQueue } from '../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../harness/support/webhook.js';
import { ensureRedis } from './lib/ensure-redis.js';
import { peakRssBytes } from './lib/peak-rss.js';

const { values: flags } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '20' },
    'live-per-second': { type: 'string', default: '1' },
    'live-seconds': { type: 'string', default: '40' },
    'manifest-lines': { type: 'string', default: '1000000' },
  },
});
const CALLS = Number(flags.calls);
const RATE = Number(flags.rate);
const LIVE_PER_SECOND = Number(flags['live-per-second']);
const LIVE_SECONDS = Number(flags['live-seconds']);
const MANIFEST_LINES = Number(flags['manifest-lines']);
const say = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
const gong = await startGongEmulator({ ratePerSecond: RATE });
const s3 = await startLocalS3(['recordings']);
const dir = await mkdtemp(join(tmpdir(), 'bench-import-'));
const prefix = `bench-import-${randomUUID().slice(0, 8)}`;
const queue = await openTestQueue(prefix, redis.url);
const services: ServiceProcess[] = [];
try {
  say(`emulator limit ${RATE} requests/s; live webhooks ${LIVE_PER_SECOND}/s for ${LIVE_SECONDS} s; import of ${CALLS} calls`);
  const settings = { LOG_LEVEL: 'info', GONG_RATE_LIMIT_PER_SECOND: String(RATE), GONG_DAILY_LIMIT: '100000000' };
  const env = localServiceEnv({ redisUrl: redis.url, prefix, gongUrl: gong.url, s3Endpoint: s3.endpoint }, settings);
  const api = await startService({ ...env, ROLE: 'api' });
  const worker = await startService({ ...env, ROLE: 'worker', WORKER_CONCURRENCY: '8' });
  services.push(api, worker);

  say('1. live calls alone...');
  const alone = await liveLoad(api, queue, s3);

  say(`2. preparing ${CALLS} recordings and the manifest...`);
  const manifest = join(dir, 'history.jsonl');
  await writeManifest(manifest, CALLS, async (i) => {
    const callId = `hist-${i}-${randomUUID().slice(0, 8)}`;
    const key = `history/${callId}.wav`;
    await s3.put('recordings', key, makeWav(1024));
    return manifestRow(callId, key);
  });
  const cliEnv = cliImportEnv({ redisUrl: redis.url, prefix, s3Endpoint: s3.endpoint }, settings);
  say('   importing, with the same live load once the import runs at full speed...');
  gong.ledger.reset();
  const cli = runCli(cliEnv, ['import', manifest, '--name', 'bench', '--progress-seconds', '30']);
  const cliRss = watchRss(cli.proc.pid!);
  const workerRss = watchRss(worker.proc.pid!);
  await cli.waitForErr(/in Gong [1-9]\d{2}/, 10 * 60_000);
  const redisPerJob = await jobMemory(queue);
  const beside = await liveLoad(api, queue, s3);
  const result = await cli.done;
  if (result.code !== 0) throw new Error(`the import ended with ${result.code}: ${result.stderr.slice(-2000)}`);
  const cliPeak = cliRss.stop();
  const workerPeak = workerRss.stop();

  const imported = gong.ledger.calls().filter((c) => c.clientUniqueId.startsWith('hist-')).map((c) => c.createdAt).sort((a, b) => a - b);
  const importRequests = gong.ledger.requests().filter((r) => r.op !== 'other').length - 2 * beside.count;
  const importSeconds = (imported.at(-1)! - imported[0]!) / 1000;
  const importRps = importRequests / importSeconds;
  const allowed = RATE - (beside.count * 2) / importSeconds;

  say('3. CLI memory reading manifests of two sizes...');
  const small = await readOnlyRss(cliEnv, CALLS);
  const large = await readOnlyRss(cliEnv, MANIFEST_LINES);

  say('\n| measure | value |');
  say('|---|---|');
  say(`| imported calls | ${imported.length} of ${CALLS} in ${importSeconds.toFixed(0)} s |`);
  say(`| import requests/s | ${importRps.toFixed(2)} (allowed beside the live load: ${allowed.toFixed(2)}; ${((importRps / allowed) * 100).toFixed(1)} %) |`);
  say(`| live p50 / p99, no import | ${alone.p50} / ${alone.p99} ms (${alone.count} calls) |`);
  say(`| live p50 / p99, beside the import | ${beside.p50} / ${beside.p99} ms (${beside.count} calls) |`);
  say(`| 429s | ${gong.ledger.count({ status: 429 })} |`);
  say(`| peak RSS, CLI importing ${CALLS} | ${mb(cliPeak)} |`);
  say(`| peak RSS, worker during the import | ${mb(workerPeak)} |`);
  say(`| peak RSS, CLI reading ${CALLS} lines / ${MANIFEST_LINES} lines | ${mb(small)} / ${mb(large)} |`);
  say(`| Redis memory per queued import job | ${redisPerJob} bytes |`);
} finally {
  await Promise.all(services.map((s) => s.stop()));
  await queue.close();
  await Promise.all([gong.close(), s3.close(), rm(dir, { recursive: true, force: true })]);
  await redis.close();
}

/** Live webhooks at a steady rate; each call's time from webhook sent to its job finished (media in Gong). */
async function liveLoad(api: ServiceProcess, q: TestQueue, store: LocalS3) {
  const total = Math.round(LIVE_PER_SECOND * LIVE_SECONDS);
  const started = Date.now();
  const calls: Array<Promise<number>> = [];
  for (let i = 0; i < total; i++) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (i * 1000) / LIVE_PER_SECOND - Date.now())));
    const callId = `live-${randomUUID()}`;
    await store.put('recordings', `${callId}.wav`, makeWav(1024));
    const sent = Date.now();
    const answer = await sendGenericWebhook(api.url, recordingReadyEvent(callId, `${callId}.wav`));
    if (answer.statusCode !== 202) throw new Error(`webhook answered ${answer.statusCode}`);
    calls.push((async () => {
      const job = (await q.queue.getJob(jobIdForCall(callId)))!;
      await job.waitUntilFinished(q.events, 5 * 60_000);
      return (await q.queue.getJob(job.id!))!.finishedOn! - sent;
    })());
  }
  const times = (await Promise.all(calls)).sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { count: times.length, p50: at(0.5), p99: at(0.99) };
}

async function writeManifest(path: string, lines: number, row: (i: number) => Promise<Record<string, unknown>> | Record<string, unknown>): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < lines; i += 50) {
    const rows = await Promise.all(Array.from({ length: Math.min(50, lines - i) }, (_, j) => row(i + j)));
    if (!out.write(rows.map((r) => JSON.stringify(r)).join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Peak RSS of a running process, sampled until stop() (the kernel's VmHWM, so no peak between samples is missed). */
function watchRss(pid: number) {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, peakRssBytes(pid))), 200);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** The CLI reading a manifest whose rows all name a bucket it may not read: refused per row, nothing else done. */
async function readOnlyRss(cliEnv: Record<string, string>, lines: number): Promise<number> {
  const path = join(dir, `read-${lines}.jsonl`);
  await writeManifest(path, lines, (i) => manifestRow(`read-${i}`, `k/${i}.wav`, { recording: { bucket: 'not-allowed', key: `k/${i}.wav` } }));
  const cli = runCli(cliEnv, ['import', path, '--dry-run', '--json']);
  const rss = watchRss(cli.proc.pid!);
  await cli.done;
  return rss.stop();
}

/** Redis' own accounting of one queued import job (its hash), sampled from the prioritized set. */
async function jobMemory(q: TestQueue): Promise<number> {
  const client = new Redis(redis.url);
  try {
    const ids = await client.zrange(`{${prefix}}:calls:prioritized`, 0, 19);
    const sizes = await Promise.all(ids.map((id) => client.memory('USAGE', `{${prefix}}:calls:${id}`)));
    const known = sizes.filter((s): s is number => typeof s === 'number');
    return known.length ? Math.round(known.reduce((a, b) => a + b, 0) / known.length) : 0;
  } finally {
    await client.quit();
    void q;
  }
}
