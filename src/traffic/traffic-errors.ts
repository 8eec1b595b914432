/** The day's Gong request budget is spent: the job should wait for the reset, not fail and not retry now. */
export class GongBudgetExhaustedError extends Error {
  override readonly name: string = 'GongBudgetExhaustedError';
  readonly code: string = 'GONG_BUDGET_EXHAUSTED';
  constructor(readonly resetInMs: number) {
    super(`The daily Gong request budget is spent; it resets in ${Math.ceil(resetInMs / 1000)} s`);
  }
}

/**
 * Gong requests are paused company-wide (another request got a 429) for longer than a worker should sleep with a
 * job in hand: the job should be delayed until the pause ends, without counting an attempt.
 */
export class GongPausedError extends Error {
  override readonly name = 'GongPausedError';
  readonly code = 'GONG_PAUSED';
  constructor(readonly resumeInMs: number) {
    super(`Gong requests are paused after a 429 from Gong; they resume in ${Math.ceil(resumeInMs / 1000)} s`);
  }
}

/**
 * Imports have used their share of the day's Gong budget (IMPORT_DAILY_SHARE); live calls may still go. A
 * GongBudgetExhaustedError, so the job is delayed to the reset without counting an attempt, as for the whole budget.
 */
export class ImportShareSpentError extends GongBudgetExhaustedError {
  override readonly name = 'ImportShareSpentError';
  override readonly code = 'IMPORT_SHARE_SPENT';
  constructor(resetInMs: number) {
    super(resetInMs);
    this.message = `Imports have used their share of the daily Gong budget (IMPORT_DAILY_SHARE); it resets in ${Math.ceil(resetInMs / 1000)} s`;
  }
}

/**
 * The tenant's Gong rate has no turn for this request soon (its backlog is ahead of it): rather than hold a worker
 * slot another tenant could use, the job is delayed to its tenant's next free slot, without counting an attempt.
 */
export class TenantRateBusyError extends Error {
  override readonly name = 'TenantRateBusyError';
  readonly code = 'TENANT_RATE_BUSY';
  constructor(readonly waitMs: number) {
    super(`This tenant's Gong rate has no turn for ${waitMs} ms; the job waits for its tenant's next slot`);
  }
}
