import type { AdminHandler } from './admin-handlers.js';
import { tenantOverview } from './tenant-overview.js';

/** GET /admin/tenants: every tenant with its state. 404 in a single-company deployment (no TENANTS_FILE). */
export const listTenantsHandler: AdminHandler = async (_req, { queue, tenants }) => {
  if (!tenants) return { status: 404, body: { error: 'no_tenants', message: 'TENANTS_FILE is not set: this deployment serves one Gong company' } };
  return { status: 200, body: { ...(await tenantOverview(queue, tenants)) } };
};

/** GET /admin/tenants/:tenant: one tenant's state. */
export const showTenantHandler: AdminHandler = async (req, { queue, tenants }) => {
  if (!tenants) return { status: 404, body: { error: 'no_tenants', message: 'TENANTS_FILE is not set: this deployment serves one Gong company' } };
  const overview = await tenantOverview(queue, tenants);
  const tenant = overview.tenants.find((t) => t.id === req.params.tenant);
  if (!tenant) return { status: 404, body: { error: 'unknown_tenant', message: 'No such tenant' } };
  return { status: 200, body: { ...tenant, countsCapped: overview.countsCapped } };
};
