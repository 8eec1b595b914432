import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/create-app.js';
import { SOURCES } from '../api/source-table.js';
import { bucketRoutedSource } from '../api/bucket-routed-source.js';
import { tenantWebhooks } from '../api/tenant-webhooks.js';
import type { CallJobData } from '../queue/call-job.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import { enqueueCallGuarded, QueueUnavailableError } from '../queue/enqueue-call.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { isTransientRedisError } from '../redis/redis-errors.js';
import { sourceSettings } from '../sources/source-definition.js';
import { tracedEnqueue } from '../telemetry/traced-enqueue.js';
import { tenantOf } from '../tenants/tenant-id.js';
import { tenantPace } from '../tenants/tenant-pace.js';
import { startWorker } from '../workers/start-worker.js';
import { stopWorker } from '../workers/stop-worker.js';
import { createWorkerExtensions } from './worker-extensions.js';
import { adminRouter, oauthRouter } from './admin-parts.js';
import { buildCore, type Core } from './process-clients.js';

/** A started service: what main.ts (or a test harness) needs to stop it. */
export interface RunningService {
  /** The bound port (with PORT=0 the one the system picked). */
  port: number;
  /** How long close() may take: an API process waits for its requests; a worker for its jobs' grace, then 15 s for the rest. */
  shutdownDeadlineMs: number;
  /** Stops taking webhooks and jobs, lets the running ones finish, then closes every client in reverse order of building. */
  close(): Promise<void>;
}

/**
 * Builds the service from its settings: clients -> HTTP server -> worker (per ROLE). Touches no process signals,
 * exit codes or environment: main.ts does those, and tests run it in their own process.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const core = buildCore(config, logger);
  await waitForRedis(core.redis, 10_000, logger);
  let accepting = true;
  const app = createApp({
    logger,
    metrics: core.metrics,
    redisReady: async () => (await core.redis.ping()) === 'PONG',
    isAcceptingTraffic: () => accepting,
    ...webhookRoutes(config, core, logger),
    // Without ADMIN_TOKEN there is no /admin at all (404), not an /admin that refuses everyone. Loaded only then:
    // Bull Board and its UI cost memory in every process that never serves it.
    admin: config.adminToken ? await adminRouter(config, config.adminToken, core, logger) : undefined,
    oauth: core.oauth && config.adminToken && config.role !== 'worker' ? oauthRouter(config, config.adminToken, core, logger) : undefined,
  });
  const server = await listen(app, config.port);
  const port = (server.address() as AddressInfo).port;
  // The bound port, not the setting: with PORT=0 (tests) the system picks one and this line says which.
  logger.info({ port, role: config.role, prefix: config.redis.prefix }, 'listening');

  const extensions = config.role === 'api' ? undefined : await createWorkerExtensions(config.sources, core.s3!, logger);
  const worker = extensions
    ? startWorker(
        config,
        { s3Client: core.s3!, traffic: core.traffic, metrics: core.metrics, logger, extensions, oauth: core.oauth },
        core.multiTenant ? { tenants: core.tenants, trafficFor: core.tenantBudgets.trafficFor, extensionsFor: (c) => createWorkerExtensions(c.sources, core.s3!, logger) } : undefined,
      )
    : undefined;

  return {
    port,
    shutdownDeadlineMs: worker ? config.worker.shutdownGraceMs + 15_000 : config.api.shutdownGraceMs,
    async close() {
      accepting = false;
      // In the reverse order of building: the server, the worker and what the sources gave it, the queue, Redis, S3.
      await closeServer(server);
      if (worker) await stopWorker(worker.worker, config.worker.shutdownGraceMs, logger);
      worker?.close();
      extensions?.close();
      core.tenants.close();
      await core.queue.close();
      await Promise.allSettled([worker?.redis.quit(), core.redis.quit()]);
      core.s3?.destroy();
    },
  };
}

/** The webhook routes of the API role: the default tenant's, and with TENANTS_FILE each tenant's under /t/<id>. */
function webhookRoutes(config: Config, core: Core, logger: Logger): Pick<Parameters<typeof createApp>[0], 'webhooks' | 'tenantWebhooks'> {
  if (config.role === 'worker') return {};
  const enqueue = tracedEnqueue((data: CallJobData) => enqueueCall(config, core, data));
  const { tenants, multiTenant } = core;
  return {
    // Sources get their own settings only (sourceSettings): never the Gong credentials.
    webhooks: {
      sources: multiTenant ? SOURCES.map((s) => (s.name === 's3-events' ? bucketRoutedSource(s, tenants, config.s3.allowedBuckets) : s)) : SOURCES,
      context: { config: sourceSettings(config), enqueue, logger },
    },
    tenantWebhooks: multiTenant
      ? tenantWebhooks({ sources: SOURCES, config, enqueue, logger, tenants, metrics: core.metrics, enqueueFor: (tenant) => (data) => enqueue({ ...data, tenant }) })
      : undefined,
  };
}

async function enqueueCall(config: Config, core: Core, data: CallJobData) {
  try {
    const add = (delayMs: number) => enqueueCallGuarded(core.queue, data, config.jobs, { connection: core.redis, timeoutMs: 5_000, replicas: core.replicas }, delayMs);
    if (!core.pacing) return await add(0);
    // Several tenants: the call is due at its tenant's next free Gong slot (fair service, tenant-pacing.ts).
    const tenant = tenantOf(data);
    return await core.pacing.pacedAdd(tenant, tenantPace(config, core.tenants, tenant), add, (err) => core.reportRedisError(err, 'pacing'));
  } catch (error) {
    // Connection losses also show as connection errors; OOM, READONLY and replication timeouts show only here.
    // Anything else is a bug, not a Redis failure: the app's error handler logs it and answers 500.
    if (error instanceof QueueUnavailableError || isTransientRedisError(error)) core.reportRedisError(error as Error, 'enqueue');
    throw error;
  }
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
