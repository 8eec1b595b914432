import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry and every metric the service exports, all under `gong_ingest_`, in base units, with small fixed
 * label sets (never a call or job id). Queue depth gauges are filled at scrape time by {@link Metrics.onCollect}.
 */
export interface ScrapeSources {
  /** Job counts by BullMQ state, read from Redis when Prometheus scrapes. */
  queueCounts?: () => Promise<Record<string, number>>;
  /** Whether Redis answers now. */
  redisPing?: () => Promise<boolean>;
  /** Gong requests left in today's budget. */
  gongBudgetRemaining?: () => Promise<number>;
  /** The most recent import runs' counts (at most IMPORT_RUNS_EXPORTED of them, which bounds the `import` label). */
  importRuns?: () => Promise<Array<{ name: string; counts: ImportRunCounts; pending: number }>>;
  /** Import requests left in today's import share (IMPORT_DAILY_SHARE). */
  importBudgetRemaining?: () => Promise<number>;
  /** Each TENANTS_FILE tenant's Gong requests left today (the default tenant's are gongBudgetRemaining). */
  tenantBudgets?: () => Promise<Array<{ tenant: string; remaining: number }>>;
  /** Gong OAuth tenants and whether each needs (re)connecting. */
  tenantConnections?: () => Promise<Array<{ tenant: string; needsConnecting: boolean }>>;
}

/** An import run's counters as the run store keeps them. */
export interface ImportRunCounts {
  /** Rows (or objects) read so far. */
  read: number;
  invalid: number;
  /** Objects under an S3 prefix that are not recordings. */
  skipped: number;
  /** This run's jobs put in the queue. */
  queued: number;
  /** Rows whose call had a job already (an earlier run, or a webhook): nothing was added for them. */
  duplicate: number;
  inGong: number;
  failed: number;
  cancelled: number;
}

/** Only this many of the newest import runs are exported: the `import` label has at most this many values. */
export const IMPORT_RUNS_EXPORTED = 5;

/** `state` values of gong_ingest_import_calls. */
export const IMPORT_STATES = ['read', 'invalid', 'skipped', 'queued', 'duplicate', 'in_gong', 'failed', 'cancelled', 'pending'] as const;
const IMPORT_COUNT_FIELDS: Record<Exclude<(typeof IMPORT_STATES)[number], 'pending'>, keyof ImportRunCounts> = {
  read: 'read', invalid: 'invalid', skipped: 'skipped', queued: 'queued', duplicate: 'duplicate', in_gong: 'inGong', failed: 'failed', cancelled: 'cancelled',
};

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed', 'paused'] as const;

export function createMetrics(sources: ScrapeSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gong_ingest_' });
  // prom-client names these gauges `..._total`, which Prometheus reserves for counters (promtool check metrics
  // flags them); the same facts are in nodejs_active_handles / _requests / _resources, which it also exports.
  for (const misnamed of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
    registry.removeSingleMetric(`gong_ingest_nodejs_${misnamed}`);
  }
  const registers = [registry];

  const metrics = {
    registry,
    webhooksReceived: new Counter({
      name: 'gong_ingest_webhooks_received_total',
      help: 'Webhooks received, by source and outcome (accepted, duplicate, invalid, unauthorized, too_large, unsupported_media_type, unavailable, ignored, error).',
      labelNames: ['source', 'outcome', 'tenant'] as const,
      registers,
    }),
    jobsFinished: new Counter({
      name: 'gong_ingest_jobs_finished_total',
      help: 'Jobs that reached an end: completed, or failed for good, by failure class.',
      labelNames: ['outcome', 'failure_class', 'tenant'] as const,
      registers,
    }),
    jobRetries: new Counter({
      name: 'gong_ingest_job_retries_total',
      help: 'Job attempts that failed and will be retried, by failure class.',
      labelNames: ['failure_class', 'tenant'] as const,
      registers,
    }),
    jobEndToEnd: new Histogram({
      name: 'gong_ingest_job_end_to_end_seconds',
      help: 'From webhook received to media in Gong, for completed jobs.',
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600],
      labelNames: ['tenant'] as const,
      registers,
    }),
    gongRequests: new Counter({
      name: 'gong_ingest_gong_requests_total',
      help: 'Requests to Gong, by operation and HTTP status (or "network" when none came back).',
      labelNames: ['operation', 'status', 'tenant'] as const,
      registers,
    }),
    gongRequestDuration: new Histogram({
      name: 'gong_ingest_gong_request_duration_seconds',
      help: 'Duration of Gong requests by operation; uploads of large recordings take minutes.',
      labelNames: ['operation', 'tenant'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800],
      registers,
    }),
    uploadBytes: new Counter({
      name: 'gong_ingest_upload_bytes_total',
      help: 'Recording bytes Gong accepted.',
      registers,
    }),
    queueJobs: new Gauge({
      name: 'gong_ingest_queue_jobs',
      help: 'Jobs in the queue by state, read from Redis at scrape time.',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        if (!sources.queueCounts) return;
        // A failed read leaves the last values; gong_ingest_redis_up tells that Redis is away.
        const counts = await sources.queueCounts().catch(() => undefined);
        if (!counts) return;
        for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
      },
    }),
    redisUp: new Gauge({
      name: 'gong_ingest_redis_up',
      help: '1 when Redis answered a PING at scrape time, else 0.',
      registers,
      async collect() {
        if (sources.redisPing) this.set((await sources.redisPing().catch(() => false)) ? 1 : 0);
      },
    }),
    gongBudgetRemaining: new Gauge({
      name: 'gong_ingest_gong_daily_budget_remaining',
      help: "Gong requests left in today's company-wide budget (GONG_DAILY_LIMIT), read from Redis at scrape time.",
      registers,
      async collect() {
        if (!sources.gongBudgetRemaining) return;
        const remaining = await sources.gongBudgetRemaining().catch(() => undefined);
        if (remaining !== undefined) this.set(remaining);
      },
    }),
    tenantBudgetRemaining: new Gauge({
      name: 'gong_ingest_tenant_daily_budget_remaining',
      help: "Gong requests left in each TENANTS_FILE tenant's budget today, read from Redis at scrape time.",
      labelNames: ['tenant'] as const,
      registers,
      async collect() {
        if (!sources.tenantBudgets) return;
        const budgets = await sources.tenantBudgets().catch(() => undefined);
        this.reset();
        for (const b of budgets ?? []) this.set({ tenant: b.tenant }, b.remaining);
      },
    }),
    tenantNeedsReconnecting: new Gauge({
      name: 'gong_ingest_tenant_needs_reconnecting',
      help: 'For each Gong OAuth tenant: 1 while it has no usable connection (never connected, or Gong refused its refresh; its jobs wait), else 0. Read from Redis at scrape time.',
      labelNames: ['tenant'] as const,
      registers,
      async collect() {
        if (!sources.tenantConnections) return;
        const connections = await sources.tenantConnections().catch(() => undefined);
        if (!connections) return;
        this.reset();
        for (const c of connections) this.set({ tenant: c.tenant }, c.needsConnecting ? 1 : 0);
      },
    }),
    tenantsFileReloads: new Counter({
      name: 'gong_ingest_tenants_file_reloads_total',
      help: 'TENANTS_FILE reloads after a change: loaded, or invalid (the last good tenants are kept).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    importCalls: new Gauge({
      name: 'gong_ingest_import_calls',
      help: `Calls of the ${IMPORT_RUNS_EXPORTED} newest import runs by state (read, invalid, skipped, queued, duplicate, in_gong, failed, cancelled, pending), read from Redis at scrape time.`,
      labelNames: ['import', 'state'] as const,
      registers,
      async collect() {
        if (!sources.importRuns) return;
        const runs = await sources.importRuns().catch(() => undefined);
        if (!runs) return;
        // Runs that dropped out of the newest few disappear instead of freezing at their last values.
        this.reset();
        for (const run of runs.slice(0, IMPORT_RUNS_EXPORTED)) {
          for (const state of IMPORT_STATES) this.set({ import: run.name, state }, state === 'pending' ? run.pending : run.counts[IMPORT_COUNT_FIELDS[state]]);
        }
      },
    }),
    importBudgetRemaining: new Gauge({
      name: 'gong_ingest_import_daily_budget_remaining',
      help: "Gong requests left today in the imports' share of the budget (IMPORT_DAILY_SHARE of GONG_DAILY_LIMIT), read from Redis at scrape time.",
      registers,
      async collect() {
        if (!sources.importBudgetRemaining) return;
        const remaining = await sources.importBudgetRemaining().catch(() => undefined);
        if (remaining !== undefined) this.set(remaining);
      },
    }),
    rateLimitWait: new Counter({
      name: 'gong_ingest_rate_limit_wait_seconds_total',
      help: 'Time Gong requests spent waiting for the shared limiter: "rate" for the per-second limit, "paused" after a 429.',
      labelNames: ['reason', 'tenant'] as const,
      registers,
    }),
    redisErrors: new Counter({
      name: 'gong_ingest_redis_errors_total',
      help: 'Redis failures seen, by role (api, worker) and kind (connection, cluster, recovering, readonly, oom, not_durable, replication, tls, other). A steady rate while redis_up is 1 means Redis answers PING but refuses the work (OOM, READONLY).',
      labelNames: ['role', 'kind'] as const,
      registers,
    }),
    replicaWaits: new Counter({
      name: 'gong_ingest_redis_replica_waits_total',
      help: 'Waits for replicas to hold a write (REDIS_WAIT_REPLICAS), by role and outcome (acknowledged, timeout, skipped: failed fast right after a timeout).',
      labelNames: ['role', 'outcome'] as const,
      registers,
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
