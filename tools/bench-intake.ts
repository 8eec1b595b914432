/**
 * `npm run bench:intake`: signed generic webhooks, each a new call, into the service's API role (verify, validate,
 * enqueue in Redis, 202), built and in its own process, with tracing off and on (an OTLP receiver in this
 * process), beside a bare Express route (tools/bench/bare-intake.ts, also its own process) that only checks the
 * HMAC and parses the JSON, and the same bare route adding one plain BullMQ job per webhook (the least a durable
 * BullMQ intake can do: it tells what the queue costs from what the service adds). Same load for each, same run;
 * rounds alternate the order so neither side always runs on a warmer machine. Prints requests/s, p50 and p99 and
 * the ratios.
 * Settings: BENCH_REQUESTS (default 10000 per measurement), BENCH_WARMUP (10000 sent first, unmeasured, so that
 * both servers run JIT-compiled code as a long-running one does), BENCH_CONCURRENCY (32), BENCH_ROUNDS (2),
 * BENCH_TARGETS (comma list of bare, bare-queue, off, on, sampled; default all five). "on" records every webhook's span;
 * "sampled" keeps one trace in ten (OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.1).
 * The API runs with the chart's Node flags (api.nodeOptions); BENCH_API_NODE_OPTIONS replaces them ("" for Node's
 * defaults). BENCH_POD_MEMORY_MB runs every server in a cgroup with that memory limit, as a pod's (root only).
 * Goals: intake ≥ 60 % of the bare route with tracing off; tracing on costs < 10 % of intake's requests/s.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { startOtlpReceiver } from '../harness/support/otlp-receiver.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { startService } from '../harness/support/service-process.js';
import { openTestQueue } from '../harness/support/test-queue.js';
import { TEST_WEBHOOK_SECRET } from '../harness/support/webhook.js';
import { prepareWebhooks, sendLoad, type LoadResult } from './bench/intake-load.js';
import { chartNodeOptions } from './deploy/values-table.js';
import { cpuSeconds } from './lib/cpu-time.js';
import { createMemoryCgroup } from './lib/memory-cgroup.js';
import { peakRssBytes } from './lib/peak-rss.js';
import { ensureRedis } from './lib/ensure-redis.js';

const requests = Number(process.env.BENCH_REQUESTS ?? 10_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const warmup = Number(process.env.BENCH_WARMUP ?? 10_000);
const podMemoryMiB = process.env.BENCH_POD_MEMORY_MB ? Number(process.env.BENCH_POD_MEMORY_MB) : undefined;
// The API runs with the Node flags the chart gives it (api.nodeOptions); BENCH_API_NODE_OPTIONS replaces them.
const apiNodeOptions = process.env.BENCH_API_NODE_OPTIONS ?? (await chartNodeOptions('api'));
const say = (line: string) => process.stdout.write(`${line}\n`);

type Target = 'bare route' | 'bare route + BullMQ add' | 'API, tracing off' | 'API, tracing on' | 'API, tracing 10 %';
const SHORT: Record<string, Target> = { bare: 'bare route', 'bare-queue': 'bare route + BullMQ add', off: 'API, tracing off', on: 'API, tracing on', sampled: 'API, tracing 10 %' };
const TARGETS: Target[] = (process.env.BENCH_TARGETS ?? 'bare,bare-queue,off,on,sampled').split(',').map((t) => {
  const target = SHORT[t.trim()];
  if (!target) throw new Error(`BENCH_TARGETS: unknown target "${t}" (bare, bare-queue, off, on, sampled)`);
  return target;
});

say('building the service (npm run build) so the API runs as in production...');
if (spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);
const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
const receiver = await startOtlpReceiver();
// Every server in a cgroup with this memory limit, as in a pod: Node sizes V8's heap from it.
const pod = podMemoryMiB ? createMemoryCgroup(`gong-ingest-bench-intake-${process.pid}`, podMemoryMiB * 2 ** 20) : undefined;
const results = new Map<Target, Measured[]>(TARGETS.map((t) => [t, []]));
say(`node ${process.version}; ${requests} webhooks per measurement (after ${warmup} to warm up), ${concurrency} connections, ${rounds} rounds${pod ? `; every server in a cgroup of ${podMemoryMiB} MiB` : ''}`);

try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? TARGETS : [...TARGETS].reverse();
    for (const target of order) {
      const result = await measure(target);
      results.get(target)!.push(result);
      say(`round ${round + 1}  ${target.padEnd(18)} ${result.perSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1)} ms  CPU ${result.cpuMicrosPerRequest.toFixed(0)} µs/request  peak RSS ${result.peakRssMiB.toFixed(0)} MiB${pod ? ` (OOM kills so far: ${pod.oomKills()})` : ''}${result.errors ? `  (${result.errors} not 202!)` : ''}`);
    }
  }
} finally {
  await receiver.close();
  await redis.close();
  pod?.remove();
}

const of = (t: Target) => results.get(t) ?? [];
const mean = (t: Target, pick: (r: Measured) => number) => of(t).reduce((sum, r) => sum + pick(r), 0) / of(t).length;
const rps = (t: Target) => mean(t, (r) => r.perSecond);
const cpu = (t: Target) => mean(t, (r) => r.cpuMicrosPerRequest);
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a');
say('\n| target | requests/s | p50 ms | p99 ms | CPU µs per request | peak RSS MiB | requests/s vs bare route | CPU per request vs bare route |');
say('|---|---|---|---|---|---|---|---|');
for (const t of TARGETS) {
  say(`| ${t} | ${rps(t).toFixed(0)} | ${mean(t, (r) => r.p50Ms).toFixed(1)} | ${mean(t, (r) => r.p99Ms).toFixed(1)} | ${cpu(t).toFixed(0)} | ${mean(t, (r) => r.peakRssMiB).toFixed(0)} | ${pct(rps(t) / rps('bare route'))} | ${pct(cpu(t) / cpu('bare route'))} |`);
}
say(`(means of ${rounds} rounds)`);
say(`\nintake / bare route, tracing off: ${pct(rps('API, tracing off') / rps('bare route'))} of the requests/s   (goal ≥ 60 %); by CPU per request: ${pct(cpu('bare route') / cpu('API, tracing off'))}`);
if (of('bare route + BullMQ add').length) {
  say(`bare route + BullMQ add / bare route: ${pct(rps('bare route + BullMQ add') / rps('bare route'))} of the requests/s (what one durable add costs, before anything the service does)`);
}
for (const t of ['API, tracing on', 'API, tracing 10 %'] as const) {
  say(`${t}: costs ${pct(1 - rps(t) / rps('API, tracing off'))} of intake's requests/s   (goal < 10 %); CPU per request +${pct(cpu(t) / cpu('API, tracing off') - 1)}`);
}
say(`exported to the in-process receiver: ${receiver.requestsByType['application/x-protobuf'] ?? 0} OTLP requests (http/protobuf)`);

interface Measured extends LoadResult {
  /** CPU time the server process spent per webhook: steadier than requests/s on a machine others load too. */
  cpuMicrosPerRequest: number;
  /** The server process's peak RSS (VmHWM), warm-up included. */
  peakRssMiB: number;
}

async function measure(target: Target): Promise<Measured> {
  const load = async (url: string, pid: number) => {
    await sendLoad(url, prepareWebhooks(warmup, 'warm'), concurrency);
    const webhooks = prepareWebhooks(requests, 'run');
    const cpuBefore = cpuSeconds(pid);
    const result = await sendLoad(url, webhooks, concurrency);
    return { ...result, cpuMicrosPerRequest: ((cpuSeconds(pid) - cpuBefore) / requests) * 1e6, peakRssMiB: peakRssBytes(pid) / 2 ** 20 };
  };
  const launcher = pod?.launcher ?? [];
  const prefix = `bench-intake-${randomUUID().slice(0, 8)}`;
  if (target === 'bare route' || target === 'bare route + BullMQ add') {
    const bareRoute = await startBare(target === 'bare route' ? [] : [redis.url, prefix], launcher);
    try {
      return await load(bareRoute.url, bareRoute.proc.pid!);
    } finally {
      bareRoute.proc.kill('SIGTERM');
      await once(bareRoute.proc, 'exit');
      if (target !== 'bare route') await (await openTestQueue(prefix, redis.url)).close();
    }
  }
  const tracing: Record<string, string> =
    target === 'API, tracing off' ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'gong-ingest-bench' };
  if (target === 'API, tracing 10 %') Object.assign(tracing, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
  const env = localServiceEnv(
    { redisUrl: redis.url, prefix, gongUrl: 'http://127.0.0.1:9/v2', s3Endpoint: 'http://127.0.0.1:9' },
    { ROLE: 'api', LOG_LEVEL: 'info', WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...tracing, ...(apiNodeOptions ? { NODE_OPTIONS: apiNodeOptions } : {}) },
  );
  const api = await startService(env, { built: true, launcher });
  try {
    return await load(api.url, api.proc.pid!);
  } finally {
    await api.stop();
    // The jobs were only for measuring: remove this run's keys (its own prefix only).
    await (await openTestQueue(prefix, redis.url)).close();
  }
}

/** The bare route; given a Redis URL and a prefix, with one BullMQ add per webhook. */
async function startBare(queueArgs: string[], launcher: string[]): Promise<{ url: string; proc: ChildProcess }> {
  const [command, ...args] = [...launcher, process.execPath, '--import', 'tsx', 'tools/bench/bare-intake.ts', TEST_WEBHOOK_SECRET, ...queueArgs] as [string, ...string[]];
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: proc.stdout! }), 'line')) as [string];
  return { url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, proc };
}
