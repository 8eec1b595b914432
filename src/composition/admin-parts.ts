import type { TenantAdmin } from '../admin/tenant-overview.js';
import { adminAuth } from '../admin/admin-auth.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import { createOAuthRouter } from '../oauth/oauth-routes.js';
import { tenantAdmin } from '../tenants/tenant-budgets.js';
import { tenantConfig } from '../tenants/tenant-config.js';
import type { Core } from './process-clients.js';

/**
 * The operator's side of the HTTP app, built from the process's clients: /admin (loaded only with ADMIN_TOKEN: Bull
 * Board and its UI cost memory in every process that never serves it), its imports per tenant, and /oauth/gong.
 */
export async function adminRouter(config: Config, adminToken: string, core: Core, logger: Logger) {
  const { createAdminRouter } = await import('../admin/create-admin-router.js');
  const { createImportService } = await import('../import/import-service.js');
  const imports = createImportService({
    queue: core.queue,
    redis: core.redis,
    prefix: config.redis.prefix,
    s3: core.s3!,
    allowedBuckets: config.s3.allowedBuckets,
    retention: config.jobs,
    traffic: config.traffic,
    budget: core.traffic,
    tenants: core.multiTenant ? (tenant) => importTarget(config, core, tenant) : undefined,
  });
  const oauth = core.oauth;
  const tenants: TenantAdmin | undefined = core.multiTenant
    ? { ...tenantAdmin(config, core.tenants, core.traffic, core.tenantBudgets), connection: oauth ? (tenant) => oauth.connection(tenant) : undefined }
    : undefined;
  return createAdminRouter({ queue: core.queue, imports, tenants, adminToken, logger, secureCookie: config.sources.publicBaseUrl?.startsWith('https://') });
}

/** An import into a TENANTS_FILE tenant: its buckets, its limits and its budget of today (read live: the file reloads). */
function importTarget(config: Config, core: Core, tenant: string) {
  const settings = core.tenants.get(tenant);
  const budget = core.tenantBudgets.trafficOf(tenant);
  if (!settings || !budget) return undefined;
  const seen = tenantConfig(config, settings);
  return { allowedBuckets: seen.s3.allowedBuckets, traffic: seen.traffic, budget };
}

/** /oauth/gong: connecting TENANTS_FILE tenants whose `gong.auth.type` is oauth; /start takes the admin token. */
export function oauthRouter(config: Config, adminToken: string, core: Core, logger: Logger) {
  return createOAuthRouter({
    oauth: core.oauth!,
    isOAuthTenant: (tenant) => core.tenants.get(tenant)?.gong.auth.kind === 'oauth',
    adminGuard: adminAuth({ adminToken, secureCookie: config.sources.publicBaseUrl?.startsWith('https://') }),
    logger,
  });
}
