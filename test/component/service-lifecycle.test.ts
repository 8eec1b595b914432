import { Redis } from 'ioredis';
import { startOwnRedis, type OwnRedis } from '../../harness/support/own-redis.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';

/**
 * The composition root builds each client once and closes all of them on shutdown: counted on a Redis of the
 * test's own, where every connection is the service's or this test's one observer.
 */
describe('service lifecycle', () => {
  let redis: OwnRedis;
  let observer: Redis;
  let env: PipelineEnv;

  beforeAll(async () => {
    redis = await startOwnRedis();
    observer = new Redis(redis.url);
    env = await startPipelineEnv('lifecycle');
  });
  afterAll(async () => {
    await observer?.quit();
    await env?.close();
    await redis?.stop();
  });

  /** Connections other than the observer's own. */
  async function serviceConnections(): Promise<number> {
    const list = (await observer.client('LIST')) as string;
    return list.trim().split('\n').length - 1;
  }

  async function settledConnections(expected: number): Promise<number> {
    for (let i = 0; i < 40 && (await serviceConnections()) !== expected; i++) await new Promise((r) => setTimeout(r, 50));
    return serviceConnections();
  }

  it.each(['api', 'worker', 'all'])('When a %s service with the admin API stops, then every Redis connection it opened is closed', async (role) => {
    const service = await startInProcess(env.serviceEnv({ ROLE: role, REDIS_URL: redis.url, ADMIN_TOKEN: 'lifecycle-admin-token-0123456789' }));
    expect(await serviceConnections()).toBeGreaterThan(0);
    await service.stop();
    expect(await settledConnections(0)).toBe(0);
    expect(service.logs.map((l) => l.msg)).toContain('shut down cleanly');
  });

  it('When the worker role starts, then it opens the producer connection and BullMQ worker connections only (the limiter shares the producer connection)', async () => {
    const service = await startInProcess(env.serviceEnv({ ROLE: 'worker', REDIS_URL: redis.url }));
    try {
      // The producer (queue, limiter, metrics), the worker's command connection and BullMQ's blocking duplicate.
      expect(await settledConnections(3)).toBe(3);
    } finally {
      await service.stop();
    }
  });
});
