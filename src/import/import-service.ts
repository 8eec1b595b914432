import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import type { JobRetention } from '../queue/enqueue-call.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { createSidecarResolver } from '../sources/s3-sidecar/sidecar-resolver.js';
import { SIDECAR_RESOLVER } from '../sources/s3-sidecar/sidecar-key.js';
import { createRecordingStore } from '../storage/recording-store.js';
import { createS3RecordingReader } from '../storage/s3-recordings.js';
import type { GongTraffic } from '../traffic/gong-traffic.js';
import { importDailyLimit } from '../traffic/traffic-lane.js';
import { cancelRun } from './cancel-run.js';
import { dryRun, type DryRunReport } from './dry-run.js';
import { estimateImportSeconds } from './estimate-duration.js';
import { ImportSourceError } from './import-errors.js';
import type { ImportCursor, ImportRow } from './import-row.js';
import { manifestRows } from './manifest-rows.js';
import { runImport } from './run-import.js';
import { checkRunName, defaultRunName } from './run-name.js';
import { createRunStore, type ImportRun, type RunStore } from './run-store.js';
import { parseS3Source, s3PrefixRows } from './s3-prefix-rows.js';

export interface ImportServiceOptions {
  queue: Queue<CallJobData>;
  redis: RedisClient;
  /** The hash-tagged queue prefix. */
  prefix: string;
  s3: S3Client;
  allowedBuckets: readonly string[];
  retention: JobRetention;
  /** For estimates: the limiter's settings and its view of today's budget. */
  traffic: { perSecond: number; dailyLimit: number; dayMs: number; importDailyShare: number };
  budget: Pick<GongTraffic, 'budgetToday'>;
  /** See {@link RunImportOptions.maxQueued}. @defaultValue 10000 */
  maxQueued?: number;
  /** @defaultValue 500 */
  batchSize?: number;
}

export interface StartedImport {
  run: ImportRun;
  /** Settles once every row is in the queue (or the run was cancelled); rejects if reading fails. */
  enqueued: Promise<void>;
}

/** The import use cases, shared by the CLI and the admin API. */
export function createImportService(options: ImportServiceOptions) {
  const store: RunStore = createRunStore(options.redis, options.prefix);
  const allowed = new Set(options.allowedBuckets);

  /** A manifest path (made absolute, so a resume from elsewhere reads the same file) or an S3 prefix as given. */
  const normalise = (source: string) => (parseS3Source(source) ? source : resolve(source));

  function rowsOf(source: string, after?: ImportCursor): AsyncIterable<ImportRow> {
    const s3Source = parseS3Source(source);
    if (s3Source) return s3PrefixRows(options.s3, s3Source, after);
    return manifestRows(source, { allowedBuckets: allowed, afterLine: after?.line });
  }

  function enqueue(run: ImportRun, onBatch?: () => void): Promise<void> {
    return runImport(run.name, rowsOf(run.source, run.cursor), {
      queue: options.queue,
      redis: options.redis,
      store,
      retention: options.retention,
      maxQueued: options.maxQueued,
      batchSize: options.batchSize,
      onBatch,
    });
  }

  return {
    store,
    queueOf: () => options.queue,
    async dryRun(source: string, onRow?: (rows: number) => void): Promise<DryRunReport> {
      const recordings = createRecordingStore({ s3: createS3RecordingReader(options.s3, options.allowedBuckets) });
      return dryRun(rowsOf(normalise(source)), { recordings, resolvers: { [SIDECAR_RESOLVER]: createSidecarResolver(options.s3) }, onRow });
    },
    async start(source: string, name?: string, onBatch?: () => void): Promise<StartedImport> {
      const runName = checkRunName(name ?? defaultRunName(source));
      const normalised = normalise(source);
      // A manifest that cannot be opened leaves no run behind (an S3 prefix is checked by its first listing).
      if (!parseS3Source(normalised)) await access(normalised).catch((error: unknown) => Promise.reject(new ImportSourceError(`Cannot read the manifest ${normalised}`, { cause: error })));
      const run = await store.create(runName, normalised);
      return { run, enqueued: enqueue(run, onBatch) };
    },
    async resume(name: string, onBatch?: () => void): Promise<StartedImport> {
      const run = await store.get(checkRunName(name));
      if (run.status !== 'reading') return { run, enqueued: Promise.resolve() };
      return { run, enqueued: enqueue(run, onBatch) };
    },
    cancel: (name: string) => cancelRun(options.queue, store, checkRunName(name)),
    get: (name: string) => store.get(checkRunName(name)),
    list: (limit?: number) => store.list(limit),
    /** Seconds until the run's pending calls are in Gong under today's budget (at `measuredCallsPerSecond` if known). */
    async etaSeconds(run: ImportRun, measuredCallsPerSecond?: number): Promise<number> {
      const today = await options.budget.budgetToday();
      const limit = importDailyLimit(options.traffic.dailyLimit, options.traffic.importDailyShare);
      // Rows not read yet are unknown: the estimate covers what is queued, or what a dry run counted.
      return estimateImportSeconds(run.pending, { perSecond: options.traffic.perSecond, importDailyLimit: limit, importRemainingToday: today.importRemaining, msUntilReset: today.msUntilReset, dayMs: options.traffic.dayMs }, measuredCallsPerSecond);
    },
    async estimateSeconds(calls: number): Promise<number> {
      const today = await options.budget.budgetToday();
      const limit = importDailyLimit(options.traffic.dailyLimit, options.traffic.importDailyShare);
      return estimateImportSeconds(calls, { perSecond: options.traffic.perSecond, importDailyLimit: limit, importRemainingToday: today.importRemaining, msUntilReset: today.msUntilReset, dayMs: options.traffic.dayMs });
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
