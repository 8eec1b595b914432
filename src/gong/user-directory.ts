import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../redis/redis-connection.js';
import type { GongClient } from './gong-client.js';

export interface UserDirectoryOptions {
  gong: Pick<GongClient, 'listUsers'>;
  redis: RedisClient;
  /** Hash-tagged prefix: the cache lives beside the queue. */
  prefix: string;
  /** How long a loaded directory is trusted. @defaultValue 3600 */
  ttlSeconds: number;
  /** An email not found in a directory older than this triggers one reload (a user added minutes ago). @defaultValue 300 */
  missReloadAfterSeconds?: number;
  /** How long one worker may hold the load before others take over (a walk of every page). @defaultValue 120 */
  loadLockSeconds?: number;
}

/** Deletes the lock only if it is still ours: a load that outlived its lock must not free another worker's. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Extends the lock only if it is still ours. ARGV: 1 token, 2 ms. */
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export interface UserDirectory {
  /** The Gong user id for an email (case-insensitive), or undefined when Gong has no such user. */
  userIdForEmail(email: string): Promise<string | undefined>;
}

/**
 * Emails to Gong user ids. Gong has no look-up by email, only `GET /v2/users` in cursor pages, so the whole
 * directory is loaded (every page goes through the shared rate limiter) and cached in Redis for all workers.
 */
export function createUserDirectory(options: UserDirectoryOptions): UserDirectory {
  const usersKey = `${options.prefix}:gong-users`;
  const loadedAtKey = `${options.prefix}:gong-users:loaded-at`;
  const lockKey = `${options.prefix}:gong-users:loading`;
  const missReloadMs = (options.missReloadAfterSeconds ?? 300) * 1000;
  const lockMs = (options.loadLockSeconds ?? 120) * 1000;

  async function load(token: string): Promise<void> {
    const entries: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await options.gong.listUsers(cursor);
      // Each page can wait its turn at the limiter behind a backlog: keep the lock while the walk makes progress.
      await options.redis.eval(RENEW_SCRIPT, 1, lockKey, token, lockMs);
      for (const user of page.users) if (user.emailAddress) entries.push(user.emailAddress.toLowerCase(), user.id);
      cursor = page.cursor;
    } while (cursor);
    // Replace atomically, so readers never see a half-loaded directory.
    const multi = options.redis.multi().del(usersKey);
    if (entries.length) multi.hset(usersKey, ...entries);
    await multi.expire(usersKey, options.ttlSeconds).set(loadedAtKey, Date.now(), 'EX', options.ttlSeconds).exec();
  }

  /**
   * Loads the directory once for all workers: every page costs a request from the shared Gong budget, so when many
   * jobs need it at once (start-up, a backlog of new reps) one worker walks the pages and the others wait for its
   * result. A loader that dies leaves its lock to expire, and a waiter takes over.
   */
  async function loadOnce(seenLoadedAt: number): Promise<void> {
    const deadline = Date.now() + 2 * lockMs;
    while (Date.now() < deadline) {
      // Loaded by another worker since this one looked: use that. (Gone since it looked, expired: load.)
      const loadedAt = Number(await options.redis.get(loadedAtKey));
      if (loadedAt && loadedAt !== seenLoadedAt) return;
      const token = randomUUID();
      if (await options.redis.set(lockKey, token, 'PX', lockMs, 'NX')) {
        try {
          return await load(token);
        } finally {
          await options.redis.eval(RELEASE_SCRIPT, 1, lockKey, token);
        }
      }
      await sleep(200);
    }
    throw new Error('The Gong user directory did not load in time (another worker holds the load); will retry');
  }

  return {
    async userIdForEmail(email) {
      const key = email.trim().toLowerCase();
      const loadedAt = Number(await options.redis.get(loadedAtKey));
      if (!loadedAt) await loadOnce(loadedAt);
      const cached = await options.redis.hget(usersKey, key);
      if (cached || !loadedAt) return cached ?? undefined;
      if (Date.now() - loadedAt < missReloadMs) return undefined;
      await loadOnce(loadedAt);
      return (await options.redis.hget(usersKey, key)) ?? undefined;
    },
  };
}
