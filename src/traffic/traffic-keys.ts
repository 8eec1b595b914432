/**
 * The limiter's Redis keys, all under the hash-tagged queue prefix so that every script's keys share one Cluster
 * slot. A tenant other than the default one puts its id after `gong-traffic` (`{prefix}:gong-traffic:<tenant>:…`):
 * each Gong company has its own budget, still on the prefix's hash tag. The default tenant keeps the keys it had
 * before tenants existed, so a running deployment's budget carries over. The lanes (live, import) share one set
 * of keys because they share one Gong budget.
 */
export interface TrafficKeys {
  log: string;
  daily: string;
  pause: string;
  /** Live requests waiting for a turn (ticket → time the entry goes stale); imports go only while it is empty. */
  liveWaiting: string;
  /** The tenant's next free dispatch slot (ms epoch): where a job that cannot go now is put (tenant-pacing.ts). */
  nextSlot: string;
  /** Import uploads' kept share of the day (job id → time the reservation lapses): traffic-lane.ts. */
  importReservations: string;
}

export function trafficKeys(prefix: string, tenant?: string): TrafficKeys {
  const base = tenant && tenant !== 'default' ? `${prefix}:gong-traffic:${tenant}` : `${prefix}:gong-traffic`;
  return {
    log: `${base}:log`,
    daily: `${base}:daily`,
    pause: `${base}:pause-until`,
    liveWaiting: `${base}:live-waiting`,
    nextSlot: `${base}:next-slot`,
    importReservations: `${base}:import-reservations`,
  };
}
