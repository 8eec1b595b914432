import type { Config } from '../config/load-config.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { createGongTraffic, type BudgetToday, type GongTraffic } from '../traffic/gong-traffic.js';
import { tenantConfig } from './tenant-config.js';
import type { TenantDirectory } from './tenants-file.js';
import type { TenantSettings } from './tenant-settings.js';
import { DEFAULT_TENANT } from './tenant-id.js';
import { maxInlineRateWaitMs } from './tenant-pace.js';

/**
 * Each TENANTS_FILE tenant's limiter, one per tenant per process, made again when the file changes the tenant: the
 * worker admits its Gong requests with it, /metrics and the admin API read its budget. `onWait` is told the time a
 * request of the tenant waited for it.
 */
export function createTenantBudgets(redis: RedisClient, config: Config, tenants: TenantDirectory, onWait?: (tenant: string, reason: 'rate' | 'paused', seconds: number) => void) {
  const readers = new Map<string, { settings: TenantSettings; traffic: GongTraffic }>();
  function trafficFor(settings: TenantSettings): GongTraffic {
    const cached = readers.get(settings.id);
    if (cached?.settings === settings) return cached.traffic;
    const seen = tenantConfig(config, settings).traffic;
    const traffic = createGongTraffic({
      redis,
      prefix: config.redis.prefix,
      ...seen,
      tenant: settings.id,
      maxInlineRateWaitMs: maxInlineRateWaitMs(seen),
      onWait: onWait ? (reason, seconds) => onWait(settings.id, reason, seconds) : undefined,
    });
    readers.set(settings.id, { settings, traffic });
    return traffic;
  }
  return {
    /** The limiter of these settings of a tenant (the worker's scope has them in hand). */
    trafficFor,
    /** The tenant's limiter and budget; undefined when there is no such tenant. */
    trafficOf(tenant: string): GongTraffic | undefined {
      const settings = tenants.get(tenant);
      return settings ? trafficFor(settings) : undefined;
    },
    /** Today's budget of one tenant; undefined when there is no such tenant. */
    async today(tenant: string): Promise<BudgetToday | undefined> {
      const settings = tenants.get(tenant);
      return settings ? trafficFor(settings).budgetToday() : undefined;
    },
    async remaining(): Promise<Array<{ tenant: string; remaining: number }>> {
      return Promise.all(tenants.list().map(async (t) => ({ tenant: t.id, remaining: await trafficFor(t).remainingToday() })));
    },
  };
}

export type TenantBudgets = ReturnType<typeof createTenantBudgets>;

/** The admin API's view of the tenants: the default one (the environment's settings) first, then the file's. */
export function tenantAdmin(config: Config, tenants: TenantDirectory, defaultBudget: GongTraffic, budgets: TenantBudgets) {
  return {
    list: () => [
      { id: DEFAULT_TENANT, auth: config.gong.auth.kind, ratePerSecond: config.traffic.perSecond, dailyLimit: config.traffic.dailyLimit },
      ...tenants.list().map((t) => ({ id: t.id, auth: t.gong.auth.kind, ratePerSecond: t.gong.ratePerSecond, dailyLimit: t.gong.dailyLimit })),
    ],
    budgetToday: (tenant: string) => (tenant === DEFAULT_TENANT ? defaultBudget.budgetToday() : budgets.today(tenant)),
  };
}
