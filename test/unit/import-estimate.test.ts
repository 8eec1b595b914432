import { estimateImportSeconds, formatDuration } from '../../src/import/estimate-duration.js';
import { importDailyLimit } from '../../src/traffic/traffic-lane.js';

const DAY = 86_400_000;
const budget = { perSecond: 3, importDailyLimit: 5000, importRemainingToday: 5000, msUntilReset: 10 * 3600_000, dayMs: DAY };

describe('import duration estimate', () => {
  it("When the calls fit in today's import share, then they take two requests each at the full rate", () => {
    expect(estimateImportSeconds(300, budget)).toBeCloseTo(200);
    expect(estimateImportSeconds(0, budget)).toBe(0);
  });

  it('When a measured rate is known, then it is used instead of the full rate', () => {
    expect(estimateImportSeconds(300, budget, 0.5)).toBeCloseTo(600);
  });

  it("When the calls need more than today's share, then the rest goes day by day at the share's pace", () => {
    // 10,000 calls = 20,000 requests: 5,000 today, then 3 more days' shares (the last one partly).
    const seconds = estimateImportSeconds(10_000, budget);
    expect(seconds).toBeCloseTo(10 * 3600 + 2 * 86_400 + 5000 / 3, 0);
  });

  it('When the share is applied to the daily limit, then it rounds down but never to zero', () => {
    expect(importDailyLimit(10_000, 0.5)).toBe(5000);
    expect(importDailyLimit(3, 0.1)).toBe(1);
  });

  it('When durations are printed, then they read as s, min, h and d', () => {
    expect([formatDuration(42), formatDuration(125), formatDuration(3 * 3600 + 20 * 60), formatDuration(2 * 86_400 + 4 * 3600)]).toEqual(['42 s', '2 min 5 s', '3 h 20 min', '2 d 4 h']);
  });
});
