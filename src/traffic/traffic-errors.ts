/** The day's Gong request budget is spent: the job should wait for the reset, not fail and not retry now. */
export class GongBudgetExhaustedError extends Error {
  override readonly name = 'GongBudgetExhaustedError';
  readonly code = 'GONG_BUDGET_EXHAUSTED';
  constructor(readonly resetInMs: number) {
    super(`The daily Gong request budget is spent; it resets in ${Math.ceil(resetInMs / 1000)} s`);
  }
}
