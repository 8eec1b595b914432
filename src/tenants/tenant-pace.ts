import type { TenantPace } from '../traffic/tenant-pacing.js';
import { DEFAULT_TENANT } from './tenant-id.js';
import type { TenantSettings } from './tenant-settings.js';

interface PaceSettings {
  perSecond: number;
  windowMarginMs: number;
}

/** A tenant's pace: its rate, the limiter's window, and what one call costs in the media mode. */
export function paceOf(traffic: PaceSettings, mediaMode: 'push' | 'pull'): TenantPace {
  return { perSecond: traffic.perSecond, windowMs: 1000 + traffic.windowMarginMs, requestsPerCall: mediaMode === 'pull' ? 1 : 2 };
}

/**
 * With several tenants, a request that would wait longer than this for its tenant's turn leaves its worker slot
 * (the job is delayed to its tenant's next slot) rather than keep another tenant's call waiting. Two of the tenant's
 * turns, at least a second: the wait between a call's create and its upload stays in place.
 */
export function maxInlineRateWaitMs(traffic: PaceSettings): number {
  return Math.max(1000, Math.ceil((2 * (1000 + traffic.windowMarginMs)) / traffic.perSecond));
}

/** The pace of a tenant by id: the environment's rate for the default tenant, the file's for the others. */
export function tenantPace(config: { traffic: PaceSettings; media: { mode: 'push' | 'pull' } }, tenants: { get(id: string): TenantSettings | undefined }, tenant: string): TenantPace {
  const settings = tenant === DEFAULT_TENANT ? undefined : tenants.get(tenant);
  const traffic = settings ? { perSecond: settings.gong.ratePerSecond, windowMarginMs: config.traffic.windowMarginMs } : config.traffic;
  return paceOf(traffic, config.media.mode);
}
