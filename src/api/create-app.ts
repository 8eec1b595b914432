import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { SourceContext, SourceDefinition } from '../sources/source-definition.js';
import { sourceRoute } from './source-route.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  /** Resolves true when Redis answers. */
  redisReady: () => Promise<boolean>;
  /** Turns false when shutdown begins, so load balancers stop sending before the server closes. */
  isAcceptingTraffic: () => boolean;
  /** The webhook sources to serve, with what they need; absent on worker-only processes. */
  webhooks?: { sources: readonly SourceDefinition[]; context: SourceContext };
  /** TENANTS_FILE's webhook routes, mounted at /t/:tenant (api/tenant-webhooks.ts). */
  tenantWebhooks?: RequestHandler;
  /** Mounted at /admin when given (it does its own authentication). */
  admin?: RequestHandler;
  /** Gong's OAuth connection of tenants, mounted at /oauth/gong when given (src/oauth/oauth-routes.ts). */
  oauth?: RequestHandler;
}

/** The HTTP app: the route table in one place. It never listens; main.ts does. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // No answer here is cacheable (202s, health, metrics, admin JSON): Express would hash every body for an ETag.
  app.set('etag', false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = deps.isAcceptingTraffic() && (await deps.redisReady().catch(() => false));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', redis: ready ? 'up' : 'down or shutting down' });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('content-type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  for (const source of deps.webhooks?.sources ?? []) {
    const handle = source.create(deps.webhooks!.context);
    if (!handle) continue;
    app.post(source.path, ...sourceRoute({ source: source.name, route: source.path, accepts: source.accepts, handle, metrics: deps.metrics }));
  }
  if (deps.tenantWebhooks) app.use('/t/:tenant', deps.tenantWebhooks);
  if (deps.admin) app.use('/admin', deps.admin);
  if (deps.oauth) app.use('/oauth/gong', deps.oauth);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such route' });
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** Every error becomes a JSON answer with the right status; a 5xx is logged, a client's mistake is not. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
    const code = status === 413 ? 'payload_too_large' : status === 400 ? 'bad_request' : status >= 500 ? 'internal_error' : 'request_error';
    const message = status === 413 ? 'The body is larger than 1 MiB' : status >= 500 ? 'Internal error' : String(error?.message ?? 'Bad request');
    if (res.headersSent) return;
    res.status(status).json({ error: code, message });
  };
}
