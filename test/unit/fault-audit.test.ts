import { createLedger } from '../../harness/emulators/gong/ledger.js';
import { auditLedger } from '../../harness/support/fault-audit.js';
import type { AcceptedCall, DeliveryCounts } from '../../harness/support/phone-system.js';
import { longestStallAfter, seededRandom } from '../../harness/faults/scenarios/timing.js';

const deliveries: DeliveryCounts = { attempts: 0, accepted: 0, duplicate: 0, unavailable503: 0, otherServerErrors: 0, noAnswer: 0, refused: 0 };
const accepted = (...ids: string[]) => new Map<string, AcceptedCall>(ids.map((id) => [id, { callId: id, sha256: `sha-${id}`, bytes: 10, acceptedAt: 0 }]));

function ledgerWith(calls: Array<{ id: string; media?: string }>) {
  const ledger = createLedger();
  calls.forEach((c, i) => {
    ledger.addCall({ callId: `g${i}`, clientUniqueId: c.id, body: {}, createdAt: 0 });
    ledger.record({ op: 'createCall', method: 'POST', path: '/v2/calls', status: 200, at: 0 });
    if (c.media) {
      ledger.attachMedia(`g${i}`, { bytes: 10, sha256: c.media, fileName: 'a.wav', contentType: 'audio/wav', via: 'upload' });
      ledger.record({ op: 'uploadMedia', method: 'PUT', path: `/v2/calls/g${i}/media`, status: 200, at: 0 });
    }
  });
  return ledger;
}

describe('auditLedger', () => {
  it('When every accepted call is in Gong with its bytes, then nothing is lost, missing or duplicated and it took 2 requests per call', () => {
    const f = auditLedger({ scenario: 's', injected: 'i', ledger: ledgerWith([{ id: 'a', media: 'sha-a' }, { id: 'b', media: 'sha-b' }]), accepted: accepted('a', 'b'), deliveries, recoverMs: 5 });
    expect(f).toMatchObject({ accepted: 2, lost: 0, withoutMedia: 0, duplicated: 0, repeatedRequests: 0, requestsPerCall: 2 });
  });

  it('When a call is missing, one has no media and one has other bytes, then each is counted', () => {
    const f = auditLedger({ scenario: 's', injected: 'i', ledger: ledgerWith([{ id: 'b' }, { id: 'c', media: 'other' }]), accepted: accepted('a', 'b', 'c'), deliveries, recoverMs: null });
    expect(f).toMatchObject({ accepted: 3, lost: 1, withoutMedia: 2 });
  });

  it('When Gong holds a call nobody got a 202 for, then it is reported apart and not as a duplicate', () => {
    const f = auditLedger({ scenario: 's', injected: 'i', ledger: ledgerWith([{ id: 'a', media: 'sha-a' }, { id: 'z', media: 'sha-z' }]), accepted: accepted('a'), deliveries, recoverMs: null });
    expect(f.duplicated).toBe(0);
    expect(f.extra).toEqual({ callsNotAnswered202: 1 });
  });
});

describe('longestStallAfter', () => {
  it('When successes resume after a gap, then the longest gap from the fault on is the time to recover', () => {
    expect(longestStallAfter(100, [50, 120, 130, 900, 950])).toBe(770);
  });
  it('When nothing succeeded after the fault, then there is no figure', () => {
    expect(longestStallAfter(100, [10, 20])).toBeNull();
  });
});

describe('seededRandom', () => {
  it('When seeded alike, then it draws the same numbers in [0, 1), and other numbers for another seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const drawn = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(drawn);
    expect(drawn.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(8)()).not.toBe(drawn[0]);
  });
});
