import { expectEveryAcceptedCallOnceWithItsBytes } from './expect-figures.js';
import { redisOutOfMemory } from './scenarios/out-of-memory.js';

describe('Redis out of memory', () => {
  it('When Redis refuses writes with OOM, then webhooks get 503, an idle worker backs off (bounded commands and log lines), counts the errors in its metric, and once the limit is raised everything drains', async () => {
    const figures = await redisOutOfMemory({ calls: 20 });
    // The issue measured ~15,000 commands/s and ~4,700 log lines/s from one spinning idle worker.
    expect({
      commandsPerSecond: Number(figures.extra.idleWorkerRedisCommandsPerSecond) <= 100,
      logLinesIn5s: Number(figures.extra.idleWorkerLogLines) <= 30,
      errorsCounted: Number(figures.extra.redisErrorsMetric) > 0,
      figures,
    }).toEqual({ commandsPerSecond: true, logLinesIn5s: true, errorsCounted: true, figures });
    expect(figures.deliveries.unavailable503).toBeGreaterThanOrEqual(20);
    expectEveryAcceptedCallOnceWithItsBytes(figures, 20);
  }, 300_000);
});
