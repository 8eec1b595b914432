import type { GongLedger } from '../emulators/gong/ledger.js';
import type { AcceptedCall, DeliveryCounts } from './phone-system.js';

/** The figures a fault scenario records: what was promised (202s) against what Gong holds. */
export interface FaultFigures {
  scenario: string;
  injected: string;
  /** Calls answered 202. */
  accepted: number;
  /** Accepted calls Gong never got. */
  lost: number;
  /** Accepted calls Gong has with no media, or with other bytes than the recording. */
  withoutMedia: number;
  /** Calls Gong holds more than once (by clientUniqueId). */
  duplicated: number;
  /** Creates and uploads Gong answered "already posted"/"already handled" (400): the same call sent again. */
  repeatedRequests: number;
  /** Gong requests (create + upload, 429s excluded) per accepted call; 2.00 is the minimum in push mode. */
  requestsPerCall: number;
  /** From the fault to the first success after it (a 202 or media in Gong, as the scenario says), in ms. */
  recoverMs: number | null;
  /** Answers the phone system got: 503s, other 5xx (must be 0), no answer. */
  deliveries: DeliveryCounts;
  /** Anything else the scenario measured (a worker's Redis commands per second…). */
  extra: Record<string, number | string>;
}

export interface AuditInput {
  scenario: string;
  injected: string;
  ledger: GongLedger;
  accepted: Map<string, AcceptedCall>;
  deliveries: DeliveryCounts;
  recoverMs: number | null;
  extra?: Record<string, number | string>;
}

/** Compares Gong's ledger with the calls the service accepted. Pure: reads the ledger, changes nothing. */
export function auditLedger(input: AuditInput): FaultFigures {
  const calls = input.ledger.calls();
  const byClientId = new Map<string, number>();
  for (const call of calls) byClientId.set(call.clientUniqueId, (byClientId.get(call.clientUniqueId) ?? 0) + 1);
  let lost = 0;
  let withoutMedia = 0;
  for (const expected of input.accepted.values()) {
    const held = input.ledger.byClientUniqueId(expected.callId);
    if (!held) lost++;
    else if (held.media?.sha256 !== expected.sha256 || held.media.bytes !== expected.bytes) withoutMedia++;
  }
  const extraCalls = calls.filter((c) => !input.accepted.has(c.clientUniqueId)).length;
  const duplicated = [...byClientId.values()].filter((n) => n > 1).length;
  const requests = input.ledger.requests().filter((r) => (r.op === 'createCall' || r.op === 'uploadMedia') && r.status !== 429);
  const repeatedRequests = requests.filter((r) => r.status === 400).length;
  return {
    scenario: input.scenario,
    injected: input.injected,
    accepted: input.accepted.size,
    lost,
    withoutMedia,
    duplicated,
    repeatedRequests,
    requestsPerCall: input.accepted.size ? requests.length / input.accepted.size : 0,
    recoverMs: input.recoverMs,
    deliveries: { ...input.deliveries },
    // A call whose every 202 was lost to a timeout is in Gong without being counted as accepted: not a loss.
    extra: { ...(extraCalls ? { callsNotAnswered202: extraCalls } : {}), ...input.extra },
  };
}
