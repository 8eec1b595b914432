import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/redis-connection.js';
import type { TokenGrant } from './gong-token-endpoint.js';
import type { TokenCipher } from './token-cipher.js';

/** A tenant's Gong OAuth connection as stored: the tokens (sealed), and whether Gong still honours them. */
export interface StoredConnection {
  state: 'connected' | 'needs-reconnecting';
  grant?: TokenGrant;
  /** Why it needs reconnecting (Gong's error code), for the admin API. */
  reason?: string;
  changedAt: number;
}

export interface TokenStore {
  read(tenant: string): Promise<StoredConnection | undefined>;
  save(tenant: string, grant: TokenGrant): Promise<void>;
  markNeedsReconnecting(tenant: string, reason: string): Promise<void>;
  /** The tenant's refresh lock: a token for unlock() when taken, undefined when another process holds it. */
  lock(tenant: string, ttlMs: number): Promise<string | undefined>;
  unlock(tenant: string, token: string): Promise<void>;
  /** Claims an authorize `state`'s nonce once: false when it was used before. */
  claimNonce(nonce: string, ttlMs: number): Promise<boolean>;
}

// Deletes the lock only if it is still ours: a lock that expired and was taken by another process stays its.
const UNLOCK_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Keys under the queue's hash-tagged prefix (`{prefix}:oauth:<tenant>`, its `:lock`, `{prefix}:oauth-nonce:<n>`), one
 * Cluster slot like every other key of the service. The tokens are sealed with the tenant's id bound in, so a sealed
 * value copied to another tenant's key does not open.
 */
export function createTokenStore(redis: RedisClient, prefix: string, cipher: TokenCipher): TokenStore {
  const key = (tenant: string) => `${prefix}:oauth:${tenant}`;
  return {
    async read(tenant) {
      const fields = await redis.hgetall(key(tenant));
      if (!fields.state) return undefined;
      const grant = fields.sealed ? (JSON.parse(cipher.open(fields.sealed, tenant)) as TokenGrant) : undefined;
      return { state: fields.state === 'connected' ? 'connected' : 'needs-reconnecting', grant, reason: fields.reason || undefined, changedAt: Number(fields.changedAt) };
    },
    async save(tenant, grant) {
      await redis.hset(key(tenant), { sealed: cipher.seal(JSON.stringify(grant), tenant), state: 'connected', reason: '', changedAt: String(Date.now()) });
    },
    async markNeedsReconnecting(tenant, reason) {
      await redis.hset(key(tenant), { state: 'needs-reconnecting', reason, changedAt: String(Date.now()) });
    },
    async lock(tenant, ttlMs) {
      const token = randomUUID();
      return (await redis.set(`${key(tenant)}:lock`, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : undefined;
    },
    async unlock(tenant, token) {
      await redis.eval(UNLOCK_SCRIPT, 1, `${key(tenant)}:lock`, token);
    },
    async claimNonce(nonce, ttlMs) {
      return (await redis.set(`${prefix}:oauth-nonce:${nonce}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
  };
}
