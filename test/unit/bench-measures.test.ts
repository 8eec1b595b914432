import { admissionLags, busiestWindow, percentile } from '../../tools/bench/admission-log.js';
import { renderFaultTable, replaceBetweenMarkers } from '../../tools/lib/fault-table.js';

describe('busiestWindow', () => {
  it('When requests cluster, then it counts the most inside any window, the window end excluded', () => {
    expect(busiestWindow([0, 100, 999, 1000, 1500], 1000)).toBe(3);
    expect(busiestWindow([0, 1000, 2000], 1000)).toBe(1);
    expect(busiestWindow([], 1000)).toBe(0);
  });
});

describe('admissionLags and percentile', () => {
  it('When arrivals follow admissions, then the k-th lag is the k-th arrival minus the k-th admission', () => {
    expect(admissionLags([0, 50, 100], [130, 5, 60])).toEqual([5, 10, 30]);
    expect(percentile([5, 10, 30, 40], 50)).toBe(10);
    expect(percentile([5, 10, 30, 40], 99)).toBe(40);
  });
});

describe('the reliability table', () => {
  it('When the markers are there, then only what lies between them is replaced', () => {
    const doc = 'intro\n<!-- t:start -->\nold\n<!-- t:end -->\noutro\n';
    expect(replaceBetweenMarkers(doc, 't', 'new')).toBe('intro\n<!-- t:start -->\nnew\n<!-- t:end -->\noutro\n');
    expect(() => replaceBetweenMarkers('no markers', 't', 'x')).toThrow(/markers/);
  });

  it('When a scenario is rendered, then its row carries the figures', () => {
    const table = renderFaultTable([
      {
        scenario: 'S',
        injected: 'I',
        accepted: 3,
        lost: 0,
        withoutMedia: 0,
        duplicated: 0,
        repeatedRequests: 1,
        requestsPerCall: 2.333,
        recoverMs: 1500,
        deliveries: { attempts: 5, accepted: 3, duplicate: 0, unavailable503: 2, otherServerErrors: 0, noAnswer: 0, refused: 0 },
        extra: { seed: 7 },
      },
    ]);
    expect(table.split('\n')[2]).toBe('| S | I | 3 | 0 | 0 | 0 | 2.33 | 1 | 2 / 0 / 0 | 1.5 s | seed 7 |');
  });
});
