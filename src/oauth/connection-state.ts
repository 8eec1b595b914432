/** Where an OAuth tenant's connection stands: never connected, working, or refused by Gong at its last refresh. */
export interface TenantConnection {
  state: 'not-connected' | 'connected' | 'needs-reconnecting';
  /** Gong's error for a refused refresh, or why the stored tokens cannot be used. */
  reason?: string;
  /** ms since the epoch of the last change (connected, refreshed, refused). */
  changedAt?: number;
}
