import { expectEveryAcceptedCallOnceWithItsBytes } from './expect-figures.js';
import { aofRedisRestartedMidBacklog } from '../../harness/faults/scenarios/aof-restart.js';

describe('Redis restarted on its AOF', () => {
  it('When Redis (appendfsync always) is killed mid-backlog and restarted while webhooks arrive, then every call answered 202 reaches Gong once with its bytes', async () => {
    const figures = await aofRedisRestartedMidBacklog({ calls: 50, during: 20, killAfter: 12 });
    expectEveryAcceptedCallOnceWithItsBytes(figures, 70);
  }, 300_000);
});
