import { expectEveryAcceptedCallOnceWithItsBytes } from './expect-figures.js';
import { DEFAULT_FAULT_SEED, workerSigkillDuringBacklog } from '../../harness/faults/scenarios/worker-sigkill.js';

const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : DEFAULT_FAULT_SEED;

describe('workers killed at random points', () => {
  it(`When one of 3 workers is killed with SIGKILL at 5 seeded points of a backlog (seed ${seed}), then every call reaches Gong once with its bytes`, async () => {
    const figures = await workerSigkillDuringBacklog({ calls: 60, kills: 5, seed });
    expectEveryAcceptedCallOnceWithItsBytes(figures, 60);
    expect(figures.extra.kills).toBe(5);
  }, 300_000);
});
