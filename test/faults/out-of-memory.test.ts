import { expectEveryAcceptedCallOnceWithItsBytes } from './expect-figures.js';
import { redisOutOfMemory } from '../../harness/faults/scenarios/out-of-memory.js';

describe('Redis out of memory', () => {
  it('When Redis refuses writes with OOM, then webhooks get 503, an idle worker backs off (bounded commands and log lines), counts the errors in its metric, and once the limit is raised everything drains', async () => {
    const figures = await redisOutOfMemory({ calls: 20 });
    // The issue measured ~15,000 commands/s and ~4,700 log lines/s from one spinning idle worker.
    const commandsPerSecond = Number(figures.extra.idleWorkerRedisCommandsPerSecond);
    const logLines = Number(figures.extra.idleWorkerLogLines);
    const errorsCounted = Number(figures.extra.redisErrorsMetric);
    // Each figure shows itself when it is out of bounds.
    expect({
      commandsPerSecond: commandsPerSecond <= 100 ? 'at most 100' : commandsPerSecond,
      logLinesIn5s: logLines <= 30 ? 'at most 30' : logLines,
      errorsCounted: errorsCounted > 0 ? 'some' : errorsCounted,
    }).toEqual({ commandsPerSecond: 'at most 100', logLinesIn5s: 'at most 30', errorsCounted: 'some' });
    expect(figures.deliveries.unavailable503).toBeGreaterThanOrEqual(20);
    expectEveryAcceptedCallOnceWithItsBytes(figures, 20);
  }, 300_000);
});
