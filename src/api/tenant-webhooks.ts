import { Router, type RequestHandler } from 'express';
import type { Metrics } from '../metrics/metrics.js';
import type { Config } from '../config/load-config.js';
import { sourceSettings, type SourceContext, type SourceDefinition } from '../sources/source-definition.js';
import { tenantConfig } from '../tenants/tenant-config.js';
import type { TenantDirectory } from '../tenants/tenants-file.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import { sourceRoute } from './source-route.js';

export interface TenantWebhooksOptions {
  sources: readonly SourceDefinition[];
  /** The service's settings; each tenant's sources get their slice of the tenant's view of them (tenantConfig). */
  config: Config;
  enqueue: SourceContext['enqueue'];
  logger: SourceContext['logger'];
  tenants: TenantDirectory;
  /** The enqueue for one tenant's calls (stamps the tenant on the job, paces it). */
  enqueueFor: (tenant: string) => SourceContext['enqueue'];
  metrics: Metrics;
}

/**
 * `/t/<tenant>/webhooks/<source>`: every source, per tenant, each built from the tenant's own settings, so a body
 * signed with one tenant's secret is refused on another's route. Mounted at `/t/:tenant`. The routers are rebuilt
 * when TENANTS_FILE changes (the settings object of a tenant is new after a reload). An unknown tenant is a 404 and
 * is not counted: a metric label from the URL would let anyone add series.
 */
export function tenantWebhooks(options: TenantWebhooksOptions): RequestHandler {
  const built = new Map<string, { settings: TenantSettings; router: Router }>();

  function routerFor(settings: TenantSettings): Router {
    const cached = built.get(settings.id);
    if (cached?.settings === settings) return cached.router;
    const router = Router();
    const context: SourceContext = { logger: options.logger, config: sourceSettings(tenantConfig(options.config, settings)), enqueue: options.enqueueFor(settings.id) };
    for (const source of options.sources) {
      const handle = source.create(context);
      if (!handle) continue;
      router.post(source.path, ...sourceRoute({ source: source.name, route: `/t/{tenant}${source.path}`, accepts: source.accepts, handle, metrics: options.metrics, tenant: settings.id }));
    }
    built.set(settings.id, { settings, router });
    return router;
  }

  return (req, res, next) => {
    const id = typeof req.params.tenant === 'string' ? req.params.tenant : '';
    const settings = options.tenants.get(id);
    if (!settings) {
      res.status(404).json({ error: 'unknown_tenant', message: 'No such tenant' });
      return;
    }
    routerFor(settings)(req, res, next);
  };
}
