import type { FaultFigures } from '../../harness/support/fault-audit.js';

/**
 * The promise every fault scenario checks: each call answered 202 is in Gong exactly once with its own bytes, no
 * call is left without media, and the phone system never saw a 500 (only 503s, which it redelivers).
 */
export function expectEveryAcceptedCallOnceWithItsBytes(figures: FaultFigures, expectedCalls: number): void {
  const seen = {
    accepted: figures.accepted,
    lost: figures.lost,
    withoutMedia: figures.withoutMedia,
    duplicated: figures.duplicated,
    otherServerErrors: figures.deliveries.otherServerErrors,
    refused: figures.deliveries.refused,
  };
  // One object, so a failure shows every figure at once (and the scenario's full record below it).
  expect({ ...seen, figures }).toEqual({
    accepted: expectedCalls,
    lost: 0,
    withoutMedia: 0,
    duplicated: 0,
    otherServerErrors: 0,
    refused: 0,
    figures,
  });
}
