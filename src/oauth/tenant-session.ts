import { setTimeout as sleep } from 'node:timers/promises';
import type { GongSession } from '../gong/gong-session.js';
import type { GongTokenEndpoint, TokenGrant } from './gong-token-endpoint.js';
import { OAuthEndpointError, OAuthGrantRefusedError, TenantNotConnectedError } from './oauth-errors.js';
import type { TokenStore } from './token-store.js';

export type { GongCredentials, GongSession } from '../gong/gong-session.js';

export interface TenantSessionOptions {
  tenant: string;
  store: TokenStore;
  endpoint: GongTokenEndpoint;
  /** Refresh when the access token has less than this left. @defaultValue 120000 */
  refreshAheadMs?: number;
  /** The refresh lock's lifetime: longer than the token endpoint's timeout. @defaultValue 30000 */
  lockTtlMs?: number;
  /** How often a process that did not get the lock looks for the new token. @defaultValue 100 */
  pollMs?: number;
}

/**
 * One tenant's tokens for one process: read from Redis (sealed), kept in memory until they near expiry, refreshed
 * under the tenant's Redis lock. Refresh tokens are single use, so only the lock holder refreshes; every other
 * process (and every other job of this one) waits for the token it stores. A refused refresh marks the tenant
 * "needs reconnecting" for all processes; its jobs then wait (TenantNotConnectedError) instead of failing.
 */
export function createTenantSession(options: TenantSessionOptions): GongSession {
  const { tenant, store, endpoint } = options;
  const refreshAheadMs = options.refreshAheadMs ?? 120_000;
  const lockTtlMs = options.lockTtlMs ?? 30_000;
  const pollMs = options.pollMs ?? 100;
  let cached: TokenGrant | undefined;
  let distrusted: string | undefined;
  let refreshing: Promise<TokenGrant> | undefined;

  const fresh = (grant: TokenGrant | undefined): boolean => grant !== undefined && grant.accessToken !== distrusted && grant.expiresAt - Date.now() > refreshAheadMs;

  async function usableGrant(): Promise<TokenGrant> {
    const stored = await store.read(tenant);
    if (!stored?.grant) throw new TenantNotConnectedError(tenant, 'not-connected', 'no tokens stored');
    if (stored.state !== 'connected') throw new TenantNotConnectedError(tenant, 'needs-reconnecting', stored.reason ?? 'refresh refused');
    return stored.grant;
  }

  async function refresh(): Promise<TokenGrant> {
    const deadline = Date.now() + 2 * lockTtlMs;
    while (Date.now() < deadline) {
      const grant = await usableGrant();
      if (fresh(grant)) return grant;
      const lock = await store.lock(tenant, lockTtlMs);
      if (lock) {
        try {
          // Read again under the lock: whoever held it before may have just stored a new token.
          const current = await usableGrant();
          if (fresh(current)) return current;
          const renewed = await endpoint.refresh(current.refreshToken);
          await store.save(tenant, renewed);
          return renewed;
        } catch (error) {
          if (error instanceof OAuthGrantRefusedError) {
            await store.markNeedsReconnecting(tenant, error.error);
            throw new TenantNotConnectedError(tenant, 'needs-reconnecting', `Gong refused the refresh: ${error.error}`);
          }
          throw error;
        } finally {
          await store.unlock(tenant, lock);
        }
      }
      await sleep(pollMs + Math.floor(Math.random() * pollMs));
    }
    throw new OAuthEndpointError(`no new Gong token for tenant ${tenant} within ${2 * lockTtlMs} ms`);
  }

  return {
    async credentials() {
      if (!fresh(cached)) {
        // One refresh per process at a time: the other jobs of this process wait for the same one.
        refreshing ??= refresh().finally(() => (refreshing = undefined));
        cached = await refreshing;
        distrusted = undefined;
      }
      const grant = cached!;
      return { authorization: `Bearer ${grant.accessToken}`, baseUrl: grant.apiBaseUrl };
    },
    rejected(credentials) {
      if (cached && credentials.authorization === `Bearer ${cached.accessToken}`) distrusted = cached.accessToken;
      cached = undefined;
    },
  };
}
