import type { RedisClient } from '../queue/redis-connection.js';
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
}

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
  const missReloadMs = (options.missReloadAfterSeconds ?? 300) * 1000;

  async function load(): Promise<void> {
    const entries: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await options.gong.listUsers(cursor);
      for (const user of page.users) if (user.emailAddress) entries.push(user.emailAddress.toLowerCase(), user.id);
      cursor = page.cursor;
    } while (cursor);
    // Replace atomically, so readers never see a half-loaded directory.
    const multi = options.redis.multi().del(usersKey);
    if (entries.length) multi.hset(usersKey, ...entries);
    await multi.expire(usersKey, options.ttlSeconds).set(loadedAtKey, Date.now(), 'EX', options.ttlSeconds).exec();
  }

  return {
    async userIdForEmail(email) {
      const key = email.trim().toLowerCase();
      const loadedAt = Number(await options.redis.get(loadedAtKey));
      if (!loadedAt) await load();
      const cached = await options.redis.hget(usersKey, key);
      if (cached || !loadedAt) return cached ?? undefined;
      if (Date.now() - loadedAt < missReloadMs) return undefined;
      await load();
      return (await options.redis.hget(usersKey, key)) ?? undefined;
    },
  };
}
