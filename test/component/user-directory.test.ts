import { Redis } from 'ioredis';
import { createGongClient } from '../../src/gong/gong-client.js';
import { createUserDirectory } from '../../src/gong/user-directory.js';
import { startGongEmulator, type GongEmulator } from '../../harness/emulators/gong/create-gong-emulator.js';
import { TEST_REDIS_URL, uniquePrefix } from '../../harness/support/test-queue.js';

/**
 * The Redis-cached Gong user directory with the real client against the emulator over HTTP: many workers asking
 * at once must cost one walk of GET /v2/users, not one each (every page spends the shared Gong budget).
 */
describe('Gong user directory', () => {
  let gong: GongEmulator;
  let redis: Redis;
  const prefixes: string[] = [];

  beforeAll(async () => {
    gong = await startGongEmulator({
      users: Array.from({ length: 250 }, (_, i) => ({ id: String(7000 + i), emailAddress: `rep${i}@acme.com` })),
      usersPageSize: 100,
    });
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
    await gong.close();
  });

  const gongClient = () => createGongClient({ baseUrl: gong.url, auth: { kind: 'basic', accessKey: 'emulator-access-key', accessKeySecret: 'emulator-access-key-secret' } });

  /** One worker process's directory: its own Redis connection and Gong client, the shared prefix. */
  function workerDirectory(prefix: string) {
    const connection = new Redis(TEST_REDIS_URL);
    return { directory: createUserDirectory({ gong: gongClient(), redis: connection, prefix, ttlSeconds: 60, missReloadAfterSeconds: 0 }), connection };
  }

  async function withWorkers<T>(count: number, run: (dirs: ReturnType<typeof workerDirectory>['directory'][]) => Promise<T>): Promise<T> {
    const prefix = `{${uniquePrefix('users')}}`;
    prefixes.push(prefix);
    const workers = Array.from({ length: count }, () => workerDirectory(prefix));
    try {
      return await run(workers.map((w) => w.directory));
    } finally {
      await Promise.all(workers.map((w) => w.connection.quit()));
    }
  }

  it('When eight workers look up reps at the same moment on an empty cache, then Gong is walked once (3 pages) and all get their ids', async () => {
    gong.ledger.reset();
    const ids = await withWorkers(8, (dirs) => Promise.all(dirs.map((d, i) => d.userIdForEmail(`REP${i * 30}@acme.com`))));
    expect(ids).toEqual(Array.from({ length: 8 }, (_, i) => String(7000 + i * 30)));
    expect(gong.ledger.count({ op: 'listUsers' })).toBe(3);
  });

  it('When several workers miss the same unknown email at once, then one reload serves them all', async () => {
    await withWorkers(4, async (dirs) => {
      await dirs[0]!.userIdForEmail('rep1@acme.com');
      gong.ledger.reset();
      const answers = await Promise.all(dirs.map((d) => d.userIdForEmail('ghost@acme.com')));
      expect(answers).toEqual([undefined, undefined, undefined, undefined]);
      expect(gong.ledger.count({ op: 'listUsers' })).toBe(3);
    });
  });

  it('When the cached directory expires between two reads of one look-up, then the look-up loads it again rather than missing', async () => {
    const prefix = `{${uniquePrefix('users')}}`;
    prefixes.push(prefix);
    const { directory, connection } = workerDirectory(prefix);
    try {
      expect(await directory.userIdForEmail('rep3@acme.com')).toBe('7003');
      // The TTL strikes right after the look-up has read the load time: a real Redis, with the expiry timed by
      // deleting both keys once that read is answered.
      let struck = false;
      const expiring = new Proxy(connection, {
        get(target, name, receiver) {
          if (name !== 'get') return Reflect.get(target, name, receiver);
          return async (key: string) => {
            const value = await target.get(key);
            if (!struck && key.endsWith(':loaded-at')) {
              struck = true;
              await target.del(`${prefix}:gong-users`, `${prefix}:gong-users:loaded-at`);
            }
            return value;
          };
        },
      });
      const afterExpiry = createUserDirectory({ gong: gongClient(), redis: expiring, prefix, ttlSeconds: 60, missReloadAfterSeconds: 0 });
      expect(await afterExpiry.userIdForEmail('rep4@acme.com')).toBe('7004');
      expect(struck).toBe(true);
    } finally {
      await connection.quit();
    }
  });
});
