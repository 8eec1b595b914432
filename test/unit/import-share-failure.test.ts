import { classifyFailure } from '../../src/workers/classify-failure.js';
import { ImportShareSpentError } from '../../src/traffic/traffic-errors.js';

describe('classifying a spent import share', () => {
  it('When an import job meets a spent import share, then it waits for the reset without an attempt, like a spent budget', () => {
    const decision = classifyFailure(new ImportShareSpentError(90_000));
    expect(decision).toMatchObject({ action: 'wait', failureClass: 'gong_budget_spent', waitMs: 90_000 });
    expect(decision.reason).toMatch(/IMPORT_DAILY_SHARE/);
  });
});
