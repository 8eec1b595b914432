import { settingDefault } from '../config/config-schema.js';
import { GongHttpError, GongNetworkError } from '../gong/gong-errors.js';
import { isDuplicateMediaContent, isImportDisabled } from '../gong/gong-error-text.js';
import { JobContractError } from '../queue/job-contract-error.js';
import { redisFailureKind } from '../redis/redis-errors.js';
import { RecordingError } from '../storage/recording-errors.js';
import { TenantUnknownError } from '../tenants/tenant-errors.js';
import { GongBudgetExhaustedError, GongPausedError, TenantRateBusyError } from '../traffic/traffic-errors.js';
import { DetailsInvalidError, DetailsPendingError, UnknownRepError } from '../calls/details-errors.js';
import { OAuthEndpointError, TenantNotConnectedError } from '../oauth/oauth-errors.js';
import { TokenSealError } from '../oauth/token-cipher.js';

/**
 * Every way a job can fail, as a small fixed set: it is a metric label, the prefix of the failed reason that
 * operators filter on, and the key of the retry policy table in the README.
 */
export type FailureClass =
  | 'gong_rate_limited'
  | 'gong_budget_spent'
  | 'gong_unavailable'
  | 'gong_network'
  | 'gong_auth'
  | 'gong_rejected'
  | 'gong_import_disabled'
  | 'gong_duplicate_media'
  | 'storage_unavailable'
  | 'bucket_not_allowed'
  | 'recording_key_invalid'
  | 'recording_missing'
  | 'recording_too_large'
  | 'recording_empty'
  | 'unsupported_format'
  | 'origin_not_allowed'
  | 'source_not_configured'
  | 'details_pending'
  | 'details_invalid'
  | 'unknown_user'
  | 'redis_unavailable'
  | 'tenant_rate_busy'
  | 'tenant_not_connected'
  | 'tenant_unknown'
  | 'job_invalid'
  | 'internal';

export interface Classification {
  /**
   * retry: back off exponentially and run again (counts an attempt);
   * wait: come back after `waitMs` (Gong's Retry-After, or the daily budget's reset) without counting an attempt;
   * fail: stop now, an operator must act.
   */
  action: 'retry' | 'wait' | 'fail';
  failureClass: FailureClass;
  /** What happened and what to do about it, for the operator reading the failed job. */
  reason: string;
  /** With action 'wait': how long. */
  waitMs?: number;
  /** Gong itself answered 429 to this job: pause every worker, and count it against the job's bound. */
  gongSaid429?: boolean;
  /** The tenant's rate is the reason: delay to the tenant's next free slot (tenant-pacing.ts) rather than `waitMs`. */
  tenantSlot?: boolean;
  /** Gong's request id, when the failure is Gong's answer. */
  requestId?: string;
}

export interface WaitHistory {
  /** How many times this job has already waited on a 429. */
  rateLimitedWaits: number;
  /** More 429 waits than this fail the job, so it cannot loop forever (GONG_MAX_RATE_LIMITED_WAITS). */
  maxRateLimitedWaits: number;
}

/** A job that has not waited yet, under the setting's default (the one in the settings schema). */
const NO_HISTORY: WaitHistory = { rateLimitedWaits: 0, maxRateLimitedWaits: settingDefault('GONG_MAX_RATE_LIMITED_WAITS') };

/** How long a job waits out a Redis fail-over, restart or memory pressure before it runs again. */
export const REDIS_WAIT_MS = 5_000;

/** How often a job of a tenant without a Gong OAuth connection looks again: reconnecting takes a person. */
export const RECONNECT_WAIT_MS = 60_000;

/** The single retry policy of the service: Gong, S3 and network failures in, a decision out. */
export function classifyFailure(error: unknown, history: WaitHistory = NO_HISTORY): Classification {
  const decision = decide(error, history);
  return error instanceof GongHttpError && error.requestId ? { ...decision, requestId: error.requestId } : decision;
}

function decide(error: unknown, history: WaitHistory): Classification {
  if (error instanceof GongBudgetExhaustedError) {
    return { action: 'wait', failureClass: 'gong_budget_spent', reason: error.message, waitMs: error.resetInMs };
  }
  if (error instanceof GongHttpError && error.status === 429) {
    if (history.rateLimitedWaits >= history.maxRateLimitedWaits) {
      return {
        action: 'fail',
        failureClass: 'gong_rate_limited',
        reason: `Gong answered 429 ${history.rateLimitedWaits + 1} times for this job; check that no other integration spends the same Gong budget, then replay`,
      };
    }
    return { action: 'wait', failureClass: 'gong_rate_limited', reason: error.message, waitMs: error.retryAfterMs ?? 1_000, gongSaid429: true };
  }
  if (error instanceof TenantUnknownError) return { action: 'fail', failureClass: 'tenant_unknown', reason: error.message };
  if (error instanceof TenantRateBusyError) {
    // The tenant's own backlog is ahead of this job: it sent nothing and waits for its tenant's next slot.
    return { action: 'wait', failureClass: 'tenant_rate_busy', reason: error.message, waitMs: error.waitMs, tenantSlot: true };
  }
  if (error instanceof GongPausedError) {
    // Another job's 429 paused everyone; this job sent nothing, so the wait is not counted against it.
    return { action: 'wait', failureClass: 'gong_rate_limited', reason: error.message, waitMs: error.resumeInMs };
  }
  if (error instanceof TenantNotConnectedError || error instanceof TokenSealError) {
    // Nothing was sent; the job waits for an operator to connect the tenant (GET /oauth/gong/start), never failing.
    return { action: 'wait', failureClass: 'tenant_not_connected', reason: error.message, waitMs: RECONNECT_WAIT_MS };
  }
  if (error instanceof OAuthEndpointError) return { action: 'retry', failureClass: 'gong_unavailable', reason: `${error.message}; will retry` };
  if (error instanceof GongNetworkError) {
    return { action: 'retry', failureClass: 'gong_network', reason: `${error.message}; will retry` };
  }
  if (error instanceof GongHttpError) return classifyGongHttp(error);
  if (error instanceof JobContractError) return { action: 'fail', failureClass: 'job_invalid', reason: error.message };
  if (error instanceof DetailsPendingError) return { action: 'retry', failureClass: 'details_pending', reason: `${error.message}; will retry` };
  if (error instanceof DetailsInvalidError) return { action: 'fail', failureClass: 'details_invalid', reason: error.message };
  if (error instanceof UnknownRepError) {
    return { action: 'fail', failureClass: 'unknown_user', reason: `${error.message}. Fix USER_MAP_FILE or the Gong user, then replay.` };
  }
  if (error instanceof RecordingError) {
    return error.permanent
      ? { action: 'fail', failureClass: error.problem, reason: error.message }
      : { action: 'retry', failureClass: 'storage_unavailable', reason: error.message };
  }
  const redisKind = redisFailureKind(error);
  if (redisKind) {
    // Not the call's fault and not Gong's: spending attempts on it would fail good calls during a long outage.
    // The checkpoint makes the next run safe whatever step the failure hit.
    return { action: 'wait', failureClass: 'redis_unavailable', reason: `Redis is unavailable (${redisKind}): ${(error as Error).message}; will wait`, waitMs: REDIS_WAIT_MS };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Unknown errors are retried: a retry costs little, and losing a call to a transient bug costs a lot.
  return { action: 'retry', failureClass: 'internal', reason: `Unexpected error: ${message}` };
}

function classifyGongHttp(error: GongHttpError): Classification {
  const { status, gongMessages } = error;
  if (status >= 500 || status === 408) {
    return { action: 'retry', failureClass: 'gong_unavailable', reason: `${error.message}; will retry` };
  }
  if (error.tokenRejected) {
    return { action: 'retry', failureClass: 'gong_auth', reason: `${error.message}; the next attempt refreshes the tenant's OAuth token` };
  }
  if (status === 401 || status === 403) {
    return {
      action: 'fail',
      failureClass: 'gong_auth',
      reason: `${error.message}. Check GONG_ACCESS_KEY/GONG_ACCESS_KEY_SECRET or GONG_BEARER_TOKEN and the api:calls:create scope, then replay.`,
    };
  }
  if (isImportDisabled(status, gongMessages)) {
    return {
      action: 'fail',
      failureClass: 'gong_import_disabled',
      reason: `${error.message}. A Gong admin must enable telephony call import for this user, then replay.`,
    };
  }
  if (isDuplicateMediaContent(gongMessages)) {
    return {
      action: 'fail',
      failureClass: 'gong_duplicate_media',
      reason: `${error.message}. These exact bytes are already in Gong under another call.`,
    };
  }
  return { action: 'fail', failureClass: 'gong_rejected', reason: `${error.message}. Fix the call's data at the source, then replay.` };
}

/** The failed reason stored on a job starts with its class in brackets, so it can be listed and filtered. */
export function formatFailedReason(c: Classification): string {
  return `[${c.failureClass}] ${c.reason}`;
}
