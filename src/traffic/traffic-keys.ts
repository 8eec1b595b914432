/**
 * The limiter's Redis keys, all under the hash-tagged queue prefix so that every script's keys share one Cluster
 * slot. One function builds them so that a narrower scope (a tenant, say) can later be added here, in one place,
 * by putting it after the prefix; the lanes (live, import) share one set of keys because they share one Gong budget.
 */
export interface TrafficKeys {
  log: string;
  daily: string;
  pause: string;
  /** Live requests waiting for a turn (ticket → time the entry goes stale); imports go only while it is empty. */
  liveWaiting: string;
}

export function trafficKeys(prefix: string): TrafficKeys {
  const base = `${prefix}:gong-traffic`;
  return { log: `${base}:log`, daily: `${base}:daily`, pause: `${base}:pause-until`, liveWaiting: `${base}:live-waiting` };
}
