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
import { ImportSourceError, ImportTenantError } from './import-errors.js';
import { DEFAULT_TENANT } from '../tenants/tenant-id.js';
import type { ImportCursor, ImportRow } from './import-row.js';
import { manifestRows } from './manifest-rows.js';
import { runImport } from './run-import.js';
import { checkRunName, defaultRunName } from './run-name.js';
import { createRunStore, type ImportRun, type RunStore } from './run-store.js';
import { parseS3Source, s3PrefixRows } from './s3-prefix-rows.js';

/** What an import into one Gong company needs: the buckets it may read, its budget and limits (for estimates). */
export interface ImportTarget {
  allowedBuckets: readonly string[];
  traffic: { perSecond: number; dailyLimit: number; dayMs: number; importDailyShare: number };
  budget: Pick<GongTraffic, 'budgetToday'>;
}

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
  /** A TENANTS_FILE tenant's target; undefined for a tenant not served. The options above are the default tenant's. */
  tenants?: (tenant: string) => ImportTarget | undefined;
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
  const defaultTarget: ImportTarget = { allowedBuckets: options.allowedBuckets, traffic: options.traffic, budget: options.budget };

  /** The tenant's target; ImportTenantError for a tenant this deployment does not serve. */
  function targetOf(tenant: string): ImportTarget {
    const target = tenant === DEFAULT_TENANT ? defaultTarget : options.tenants?.(tenant);
    if (!target) throw new ImportTenantError(tenant);
    return target;
  }

  /** A manifest path (made absolute, so a resume from elsewhere reads the same file) or an S3 prefix as given. */
  const normalise = (source: string) => (parseS3Source(source) ? source : resolve(source));

  /**
   * The S3 prefix a source names, or undefined for a manifest. The prefix must be in a bucket the tenant may read:
   * every job of it would fail at the worker otherwise.
   */
  function checkedS3Source(source: string, target: ImportTarget): ReturnType<typeof parseS3Source> {
    const s3Source = parseS3Source(source);
    if (s3Source && !target.allowedBuckets.includes(s3Source.bucket)) {
      throw new ImportSourceError(`Bucket ${s3Source.bucket} is not one this tenant may read (its allowed buckets: ${target.allowedBuckets.join(', ') || 'none'})`);
    }
    return s3Source;
  }

  function rowsOf(source: string, target: ImportTarget, after?: ImportCursor): AsyncIterable<ImportRow> {
    const s3Source = checkedS3Source(source, target);
    if (s3Source) return s3PrefixRows(options.s3, s3Source, after);
    return manifestRows(source, { allowedBuckets: new Set(target.allowedBuckets), afterLine: after?.line });
  }

  function enqueue(run: ImportRun, onBatch?: () => void): Promise<void> {
    return runImport(run.name, rowsOf(run.source, targetOf(run.tenant), run.cursor), {
      tenant: run.tenant,
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
    async dryRun(source: string, onRow?: (rows: number) => void, tenant = DEFAULT_TENANT): Promise<DryRunReport> {
      const target = targetOf(tenant);
      const recordings = createRecordingStore({ s3: createS3RecordingReader(options.s3, target.allowedBuckets) });
      return dryRun(rowsOf(normalise(source), target), { recordings, resolvers: { [SIDECAR_RESOLVER]: createSidecarResolver(options.s3) }, onRow });
    },
    async start(source: string, name?: string, onBatch?: () => void, tenant = DEFAULT_TENANT): Promise<StartedImport> {
      const runName = checkRunName(name ?? defaultRunName(source));
      const normalised = normalise(source);
      // An unknown tenant, a bucket it may not read, or a manifest that cannot be opened leave no run behind (an S3
      // prefix is read by its first listing).
      if (!checkedS3Source(normalised, targetOf(tenant))) await access(normalised).catch((error: unknown) => Promise.reject(new ImportSourceError(`Cannot read the manifest ${normalised}`, { cause: error })));
      const run = await store.create(runName, normalised, tenant);
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
    /** Seconds until the run's pending calls are in Gong under its tenant's budget today; Infinity for a tenant gone from TENANTS_FILE. */
    async etaSeconds(run: ImportRun, measuredCallsPerSecond?: number): Promise<number> {
      const target = tenantTarget(run.tenant);
      // Rows not read yet are unknown: the estimate covers what is queued, or what a dry run counted.
      return target ? estimate(target, run.pending, measuredCallsPerSecond) : Infinity;
    },
    estimateSeconds: (calls: number, tenant = DEFAULT_TENANT) => estimate(targetOf(tenant), calls),
  };

  function tenantTarget(tenant: string): ImportTarget | undefined {
    try {
      return targetOf(tenant);
    } catch {
      return undefined;
    }
  }

  async function estimate(target: ImportTarget, calls: number, measuredCallsPerSecond?: number): Promise<number> {
    const today = await target.budget.budgetToday();
    const { traffic } = target;
    const limit = importDailyLimit(traffic.dailyLimit, traffic.importDailyShare);
    return estimateImportSeconds(calls, { perSecond: traffic.perSecond, importDailyLimit: limit, importRemainingToday: today.importRemaining, msUntilReset: today.msUntilReset, dayMs: traffic.dayMs }, measuredCallsPerSecond);
  }
}

export type ImportService = ReturnType<typeof createImportService>;
