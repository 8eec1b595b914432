import type { Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import { tenantOfJobId } from '../queue/job-id.js';
import type { BudgetToday } from '../traffic/gong-traffic.js';
import type { TenantConnection } from '../oauth/connection-state.js';

/** What the admin API needs to know of the tenants, without their secrets. */
export interface TenantAdmin {
  /** Every tenant served, the default one first: id, how it authenticates, its limits. */
  list(): Array<{ id: string; auth: 'basic' | 'bearer' | 'none' | 'oauth'; ratePerSecond: number; dailyLimit: number }>;
  /** Today's budget of a tenant. */
  budgetToday(tenant: string): Promise<BudgetToday | undefined>;
  /** An OAuth tenant's connection (src/oauth/); absent without Gong OAuth configured. */
  connection?(tenant: string): Promise<TenantConnection>;
}

export interface TenantState {
  id: string;
  /** How it authenticates to Gong: 'basic', 'oauth', or 'bearer' (the default tenant's GONG_BEARER_TOKEN); 'none' without credentials. */
  auth: string;
  /** Credentials configured, or for OAuth tokens that Gong honoured at their last refresh. */
  connected: boolean;
  /** OAuth tenants: the connection's state (needs-reconnecting after a refused refresh: its jobs wait). */
  connection?: TenantConnection;
  ratePerSecond: number;
  dailyLimit: number;
  budget?: { remaining: number; resetsInSeconds: number };
  /** Jobs waiting, delayed or running. */
  backlog: number;
  /** Failed jobs kept (KEEP_FAILED_JOBS_SECONDS). */
  failed: number;
}

/** Job ids read per state at most: the counts say `backlogCapped` beyond it rather than read a huge queue. */
export const TENANT_SCAN_LIMIT = 50_000;

/**
 * Every tenant's state. Backlog and failures are counted from the job ids alone (the tenant is in the id, see
 * jobIdForCall), one range read per state, so no job's data is loaded.
 */
export async function tenantOverview(queue: Queue<CallJobData>, tenants: TenantAdmin): Promise<{ tenants: TenantState[]; countsCapped: boolean }> {
  const count = async (states: Array<'waiting' | 'delayed' | 'active' | 'prioritized' | 'failed'>) => {
    const ids = await queue.getRanges(states, 0, TENANT_SCAN_LIMIT - 1);
    const byTenant = new Map<string, number>();
    for (const id of ids) {
      const tenant = tenantOfJobId(id);
      byTenant.set(tenant, (byTenant.get(tenant) ?? 0) + 1);
    }
    return { byTenant, capped: ids.length >= TENANT_SCAN_LIMIT };
  };
  const [backlog, failed] = await Promise.all([count(['waiting', 'delayed', 'active', 'prioritized']), count(['failed'])]);
  const states = await Promise.all(
    tenants.list().map(async (t): Promise<TenantState> => {
      const budget = await tenants.budgetToday(t.id).catch(() => undefined);
      const connection = t.auth === 'oauth' ? await (tenants.connection?.(t.id) ?? Promise.resolve<TenantConnection>({ state: 'not-connected' })) : undefined;
      return {
        id: t.id,
        auth: t.auth,
        connected: connection ? connection.state === 'connected' : t.auth === 'basic' || t.auth === 'bearer',
        ...(connection ? { connection } : {}),
        ratePerSecond: t.ratePerSecond,
        dailyLimit: t.dailyLimit,
        budget: budget ? { remaining: budget.remaining, resetsInSeconds: Math.ceil(budget.msUntilReset / 1000) } : undefined,
        backlog: backlog.byTenant.get(t.id) ?? 0,
        failed: failed.byTenant.get(t.id) ?? 0,
      };
    }),
  );
  return { tenants: states, countsCapped: backlog.capped || failed.capped };
}
