import type { RedisClient } from '../redis/redis-connection.js';
import type { TenantConnection } from './connection-state.js';
import { createGongTokenEndpoint, type GongTokenEndpoint } from './gong-token-endpoint.js';
import { createTenantSession, type GongSession } from './tenant-session.js';
import { createTokenCipher, TokenSealError } from './token-cipher.js';
import { stateKeyOf } from './oauth-state.js';
import { createTokenStore, type TokenStore } from './token-store.js';

/** Gong's OAuth app as configured (GONG_OAUTH_*, TOKEN_ENCRYPTION_KEY[_PREVIOUS]). */
export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** This service's public /oauth/gong/callback URL, registered with the Gong app. */
  redirectUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string;
  key: Buffer;
  previousKey?: Buffer;
}

export interface OAuthRuntime {
  settings: OAuthSettings;
  /** The key that signs authorize states: derived from TOKEN_ENCRYPTION_KEY, never the sealing key itself. */
  stateKey: Buffer;
  store: TokenStore;
  endpoint: GongTokenEndpoint;
  /** The process's one session per tenant: its jobs share the cached token and the in-process refresh. */
  sessionFor(tenant: string): GongSession;
  connection(tenant: string): Promise<TenantConnection>;
}

/** Everything OAuth in one process, built once by the composition root. */
export function createOAuthRuntime(redis: RedisClient, prefix: string, settings: OAuthSettings): OAuthRuntime {
  const store = createTokenStore(redis, prefix, createTokenCipher(settings.key, settings.previousKey));
  const endpoint = createGongTokenEndpoint({ tokenUrl: settings.tokenUrl, clientId: settings.clientId, clientSecret: settings.clientSecret });
  const sessions = new Map<string, GongSession>();
  return {
    settings,
    stateKey: stateKeyOf(settings.key),
    store,
    endpoint,
    sessionFor(tenant) {
      let session = sessions.get(tenant);
      if (!session) sessions.set(tenant, (session = createTenantSession({ tenant, store, endpoint })));
      return session;
    },
    async connection(tenant) {
      try {
        const stored = await store.read(tenant);
        if (!stored) return { state: 'not-connected' };
        return { state: stored.state, reason: stored.reason, changedAt: stored.changedAt };
      } catch (error) {
        // Sealed with a key no longer configured: as good as disconnected until it is connected again.
        if (error instanceof TokenSealError) return { state: 'needs-reconnecting', reason: 'stored tokens cannot be opened with the configured keys' };
        throw error;
      }
    },
  };
}
