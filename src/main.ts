// First, before anything else is imported: starts the OpenTelemetry SDK when the OTEL_* variables ask for traces.
import { stopTracing, tracingProtocol } from './telemetry/start-tracing.js';
import closeWithGrace from 'close-with-grace';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './api/create-app.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { SOURCES } from './api/source-table.js';
import { sourceSettings } from './sources/source-definition.js';
import { createS3Client } from './storage/s3-recordings.js';
import type { CallJobData } from './queue/call-job.js';
import { ConfigError, loadConfig, type Config } from './config/load-config.js';
import { createLogger, type Logger } from './logging/logger.js';
import { createRunStore } from './import/run-store.js';
import { createMetrics, IMPORT_RUNS_EXPORTED, QUEUE_STATES, type Metrics } from './metrics/metrics.js';
import { createCallQueue } from './queue/call-queue.js';
import { enqueueCallGuarded, QueueUnavailableError } from './queue/enqueue-call.js';
import { tracedEnqueue } from './telemetry/traced-enqueue.js';
import { createRedisConnection, type RedisClient } from './redis/redis-connection.js';
import { isTransientRedisError } from './redis/redis-errors.js';
import { createRedisErrorReporter } from './redis/redis-error-reporter.js';
import { createReplicaWaiter } from './redis/replica-wait.js';
import { createGongTraffic, type GongTraffic } from './traffic/gong-traffic.js';
import { createWorkerExtensions } from './composition/worker-extensions.js';
import { startWorker } from './workers/start-worker.js';
import { bucketRoutedSource } from './api/bucket-routed-source.js';
import { tenantWebhooks } from './api/tenant-webhooks.js';
import { createTenantBudgets, tenantAdmin } from './tenants/tenant-budgets.js';
import type { TenantAdmin } from './admin/tenant-overview.js';
import { tenantOf } from './tenants/tenant-id.js';
import { tenantPace } from './tenants/tenant-pace.js';
import { createTenantsFile } from './tenants/tenants-file.js';
import { createTenantPacing } from './traffic/tenant-pacing.js';
import { stopWorker } from './workers/stop-worker.js';

/**
 * The composition root: config -> clients -> HTTP server and/or worker (ROLE) -> graceful close.
 * The only module that touches process signals and exit codes.
 */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.logLevel);
  const tracing = tracingProtocol();
  if (tracing) logger.info({ protocol: tracing }, 'tracing on: spans exported over OTLP');
  const producerRedis = createRedisConnection(config.redis, 'producer');
  const queue = createCallQueue(producerRedis, config.redis.prefix);
  const budget = createGongTraffic({ redis: producerRedis, prefix: config.redis.prefix, ...config.traffic });
  // TENANTS_FILE: the Gong companies beside the default one, kept current as the file changes.
  const multiTenant = Boolean(config.tenants.file);
  const tenants = createTenantsFile({ set: config.tenants, logger, onReload: (outcome) => metrics.tenantsFileReloads.inc({ outcome }) });
  const tenantBudgets = createTenantBudgets(producerRedis, config, tenants);
  const pacing = multiTenant ? createTenantPacing({ redis: producerRedis, prefix: config.redis.prefix }) : undefined;
  const runStore = createRunStore(producerRedis, config.redis.prefix);
  const metrics = createMetrics({
    queueCounts: () => queue.getJobCounts(...QUEUE_STATES),
    redisPing: async () => (await producerRedis.ping()) === 'PONG',
    gongBudgetRemaining: () => budget.remainingToday(),
    importRuns: () => runStore.list(IMPORT_RUNS_EXPORTED),
    importBudgetRemaining: async () => (await budget.budgetToday()).importRemaining,
    tenantBudgets: multiTenant ? () => tenantBudgets.remaining() : undefined,
  });
  // Listeners in the same tick the clients were made in: no connection event can come before them.
  const reportRedisError = createRedisErrorReporter({ role: 'api', logger, count: (kind) => metrics.redisErrors.inc({ role: 'api', kind }) });
  producerRedis.on('error', (err: Error) => reportRedisError(err, 'connection'));
  queue.on('error', (err) => reportRedisError(err, 'queue'));
  const replicas = createReplicaWaiter(producerRedis, {
    replicas: config.redis.waitReplicas,
    timeoutMs: config.redis.waitTimeoutMs,
    slotKey: config.redis.prefix,
    onResult: (outcome) => metrics.replicaWaits.inc({ role: 'api', outcome }),
  });

  // One S3 client per process, for the worker, the sources' resolvers and the admin imports alike.
  const s3 = config.role !== 'api' || config.adminToken ? createS3Client(config.s3) : undefined;

  await waitForRedis(producerRedis, 10_000, logger);
  let accepting = true;
  const enqueue = tracedEnqueue(async (data: CallJobData) => {
    try {
      const add = (delayMs: number) => enqueueCallGuarded(queue, data, config.jobs, { connection: producerRedis, timeoutMs: 5_000, replicas }, delayMs);
      if (!pacing) return await add(0);
      // Several tenants: the call is due at its tenant's next free Gong slot (fair service, tenant-pacing.ts).
      const tenant = tenantOf(data);
      return await pacing.pacedAdd(tenant, tenantPace(config, tenants, tenant), add, (err) => reportRedisError(err, 'pacing'));
    } catch (error) {
      // Connection losses also show as connection errors; OOM, READONLY and replication timeouts show only here.
      // Anything else is a bug, not a Redis failure: the app's error handler logs it and answers 500.
      if (error instanceof QueueUnavailableError || isTransientRedisError(error)) reportRedisError(error as Error, 'enqueue');
      throw error;
    }
  });
  const app = createApp({
    logger,
    metrics,
    redisReady: async () => (await producerRedis.ping()) === 'PONG',
    isAcceptingTraffic: () => accepting,
    // Sources get their own settings only (sourceSettings): never the Gong credentials.
    webhooks:
      config.role === 'worker'
        ? undefined
        : { sources: multiTenant ? SOURCES.map((s) => (s.name === 's3-events' ? bucketRoutedSource(s, tenants, config.s3.allowedBuckets) : s)) : SOURCES, context: { config: sourceSettings(config), enqueue, logger } },
    tenantWebhooks:
      config.role === 'worker' || !multiTenant
        ? undefined
        : tenantWebhooks({ sources: SOURCES, config, enqueue, logger, tenants, metrics, enqueueFor: (tenant) => (data) => enqueue({ ...data, tenant }) }),
    // Without ADMIN_TOKEN there is no /admin at all (404), not an /admin that refuses everyone. Loaded only then:
    // Bull Board and its UI cost memory in every process that never serves it.
    admin: config.adminToken ? await adminRouter(config, config.adminToken, queue, producerRedis, budget, s3!, logger, multiTenant ? tenantAdmin(config, tenants, budget, tenantBudgets) : undefined) : undefined,
  });
  const server = await listen(app, config.port);
  // The bound port, not the setting: with PORT=0 (tests) the system picks one and this line says which.
  logger.info({ port: (server.address() as AddressInfo).port, role: config.role, prefix: config.redis.prefix }, 'listening');

  const extensions = config.role === 'api' ? undefined : await createWorkerExtensions(config.sources, s3!, logger);
  const worker = extensions
    ? startWorker(config, s3!, metrics, logger, extensions, multiTenant ? { tenants, extensionsFor: (c) => createWorkerExtensions(c.sources, s3!, logger) } : undefined)
    : undefined;

  // An API process waits for its own requests only; a worker for its jobs' grace, then 15 s to close the rest.
  const shutdownDeadlineMs = worker ? config.worker.shutdownGraceMs + 15_000 : config.api.shutdownGraceMs;
  closeWithGrace({ delay: shutdownDeadlineMs, logger: false }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an unexpected error');
    logger.info({ signal }, 'shutting down');
    accepting = false;
    // In the reverse order of building: the server, the worker and what the sources gave it, the queue, Redis, S3.
    await closeServer(server);
    if (worker) await stopWorker(worker.worker, config.worker.shutdownGraceMs, logger);
    extensions?.close();
    await queue.close();
    await Promise.allSettled([worker?.redis.quit(), producerRedis.quit()]);
    s3?.destroy();
    // Last: the spans of the work that just finished are still buffered in the exporter.
    await stopTracing().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'could not send the last spans'));
    logger.info('shut down cleanly');
  });
}

async function adminRouter(
  config: Config,
  adminToken: string,
  queue: ReturnType<typeof createCallQueue>,
  redis: RedisClient,
  budget: GongTraffic,
  s3: S3Client,
  logger: Logger,
  tenants?: TenantAdmin,
) {
  const { createAdminRouter } = await import('./admin/create-admin-router.js');
  const { createImportService } = await import('./import/import-service.js');
  const imports = createImportService({
    queue,
    redis,
    prefix: config.redis.prefix,
    s3,
    allowedBuckets: config.s3.allowedBuckets,
    retention: config.jobs,
    traffic: config.traffic,
    budget,
  });
  return createAdminRouter({ queue, imports, tenants, adminToken, logger, secureCookie: config.sources.publicBaseUrl?.startsWith('https://') });
}

/**
 * Gives Redis a moment at start-up so the first webhooks are not answered 503 needlessly. The process starts
 * without it all the same: /readyz reports it, and webhooks get 503 until it answers.
 */
async function waitForRedis(redis: RedisClient, timeoutMs: number, logger: Logger): Promise<void> {
  if (redis.status === 'ready') return;
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!ready) logger.warn({ timeoutMs }, 'Redis is not reachable yet; webhooks get 503 until it is');
}

function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, () => resolve(server));
    server.once('error', reject);
  });
}

/** Stops accepting connections and waits for requests in flight; idle keep-alive sockets are closed at once. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

await main();
