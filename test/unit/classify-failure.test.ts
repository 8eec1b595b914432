import { GongHttpError, GongNetworkError } from '../../src/gong/gong-errors.js';
import { RecordingError } from '../../src/storage/recording-errors.js';
import { GongBudgetExhaustedError, GongPausedError } from '../../src/traffic/traffic-errors.js';
import { UnrecoverableError } from 'bullmq';
import { OAuthEndpointError, TenantNotConnectedError } from '../../src/oauth/oauth-errors.js';
import { TokenSealError } from '../../src/oauth/token-cipher.js';
import { classifyFailure, formatFailedReason } from '../../src/workers/classify-failure.js';
import { jobFailureFor, lastFailureOf, PermanentJobFailure, RetryableJobFailure, storedFailureClass } from '../../src/workers/job-failure.js';

const http = (status: number, ...messages: string[]) => new GongHttpError('createCall', status, messages, 'req-1', status === 429 ? 5_000 : undefined);

describe('failure classification', () => {
  it.each([
    ['a network error', new GongNetworkError('uploadMedia', 'ECONNRESET'), 'retry', 'gong_network'],
    ['a Gong 500', http(500), 'retry', 'gong_unavailable'],
    ['a Gong 503', http(503), 'retry', 'gong_unavailable'],
    ['a Gong 429', http(429, 'Too many requests'), 'wait', 'gong_rate_limited'],
    ['a spent daily budget', new GongBudgetExhaustedError(60_000), 'wait', 'gong_budget_spent'],
    ['a Gong 401', http(401), 'fail', 'gong_auth'],
    ['a Gong 409', http(409, 'Recording or telephony call import is not enabled for primaryUser 1'), 'fail', 'gong_import_disabled'],
    ['a Gong 400 for bad data', http(400, 'actualStart is invalid'), 'fail', 'gong_rejected'],
    ['a Gong 400 for duplicate content', http(400, 'A media file with the same content has been uploaded in the past'), 'fail', 'gong_duplicate_media'],
    ['an S3 outage', new RecordingError('storage_unavailable', 'S3 down'), 'retry', 'storage_unavailable'],
    ['a missing recording', new RecordingError('recording_missing', 'gone'), 'fail', 'recording_missing'],
    ['an unsupported format', new RecordingError('unsupported_format', 'text'), 'fail', 'unsupported_format'],
    ['a disallowed bucket', new RecordingError('bucket_not_allowed', 'no'), 'fail', 'bucket_not_allowed'],
    ['a key no reader may follow', new RecordingError('recording_key_invalid', 'dot segments'), 'fail', 'recording_key_invalid'],
    ['Redis out of memory', Object.assign(new Error("OOM command not allowed when used memory > 'maxmemory'."), { name: 'ReplyError' }), 'wait', 'redis_unavailable'],
    ['a cluster fail-over', new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'), 'wait', 'redis_unavailable'],
    ['a demoted master (READONLY)', Object.assign(new Error("READONLY You can't write against a read only replica."), { name: 'ReplyError' }), 'wait', 'redis_unavailable'],
    ['a lost Redis connection', new Error('Connection is closed.'), 'wait', 'redis_unavailable'],
    ['a 401 to an OAuth tenant\'s token', new GongHttpError('createCall', 401, [], 'req-1', undefined, true), 'retry', 'gong_auth'],
    ['an OAuth tenant that needs reconnecting', new TenantNotConnectedError('acme', 'needs-reconnecting', 'invalid_grant'), 'wait', 'tenant_not_connected'],
    ['an OAuth tenant never connected', new TenantNotConnectedError('acme', 'not-connected', 'no tokens stored'), 'wait', 'tenant_not_connected'],
    ['tokens sealed with a key no longer configured', new TokenSealError('no key'), 'wait', 'tenant_not_connected'],
    ["Gong's token endpoint down", new OAuthEndpointError('503'), 'retry', 'gong_unavailable'],
    ['an unexpected bug', new TypeError('x is undefined'), 'retry', 'internal'],
  ])('%s -> %s (%s)', (_name, error, action, failureClass) => {
    expect(classifyFailure(error)).toMatchObject({ action, failureClass });
  });

  it('waits as long as Retry-After on a 429, and until the reset when the budget is spent', () => {
    expect(classifyFailure(http(429)).waitMs).toBe(5_000);
    expect(classifyFailure(new GongBudgetExhaustedError(60_000)).waitMs).toBe(60_000);
  });

  it("waits out another job's 429 pause without counting it as this job's 429, even past the bound", () => {
    const pausedByOthers = classifyFailure(new GongPausedError(45_000), { rateLimitedWaits: 20, maxRateLimitedWaits: 20 });
    expect(pausedByOthers).toMatchObject({ action: 'wait', failureClass: 'gong_rate_limited', waitMs: 45_000 });
    expect(pausedByOthers.gongSaid429).toBeUndefined();
    expect(classifyFailure(http(429)).gongSaid429).toBe(true);
  });

  it('fails a job that keeps getting 429 after the allowed number of waits', () => {
    expect(classifyFailure(http(429), { rateLimitedWaits: 19, maxRateLimitedWaits: 20 }).action).toBe('wait');
    expect(classifyFailure(http(429), { rateLimitedWaits: 20, maxRateLimitedWaits: 20 })).toMatchObject({ action: 'fail', failureClass: 'gong_rate_limited' });
  });

  it('tells the operator what to do for permanent Gong failures', () => {
    expect(classifyFailure(http(409)).reason).toMatch(/admin must enable/);
    expect(classifyFailure(http(401)).reason).toMatch(/GONG_ACCESS_KEY/);
  });

  it('when a job fails, then its stored reason keeps the [class] prefix and the class is read from what was saved', () => {
    const error = new RecordingError('unsupported_format', 'not audio');
    const failure = jobFailureFor(classifyFailure(error), error);
    expect(failure.message).toBe('[unsupported_format] not audio');
    expect(storedFailureClass(failure.message, lastFailureOf(failure))).toBe('unsupported_format');
    expect(storedFailureClass(undefined, undefined)).toBeUndefined();
  });

  it('when BullMQ fails the job itself after a classified failure (stalled), then the class is unknown, not the stale one', () => {
    const error = new GongNetworkError('uploadMedia', 'ECONNRESET');
    const earlier = lastFailureOf(jobFailureFor(classifyFailure(error), error));
    expect(storedFailureClass('job stalled more than allowable limit', earlier)).toBe('unknown');
  });

  it('when a job failed before the class was saved on it, then the class still comes from its reason', () => {
    expect(storedFailureClass('[recording_missing] gone', undefined)).toBe('recording_missing');
    expect(storedFailureClass('job stalled more than allowable limit', undefined)).toBe('unknown');
  });

  it('when Gong answered, then the failure carries its class, its cause and Gong\'s request id', () => {
    const permanent = jobFailureFor(classifyFailure(http(400, 'actualStart is invalid')), http(400));
    expect(permanent).toBeInstanceOf(PermanentJobFailure);
    expect(permanent).toBeInstanceOf(UnrecoverableError);
    expect(permanent).toMatchObject({ name: 'PermanentJobFailure', failureClass: 'gong_rejected', requestId: 'req-1' });
    expect(permanent.cause).toBeInstanceOf(GongHttpError);
    const cause = http(503);
    const retryable = jobFailureFor(classifyFailure(cause), cause);
    expect(retryable).toBeInstanceOf(RetryableJobFailure);
    expect(retryable).not.toBeInstanceOf(UnrecoverableError);
    expect(retryable).toMatchObject({ failureClass: 'gong_unavailable', requestId: 'req-1', cause });
    expect(lastFailureOf(retryable)).toEqual({ failureClass: 'gong_unavailable', requestId: 'req-1', reason: retryable.message });
  });

  it('formats the reason with its class first', () => {
    expect(formatFailedReason({ action: 'fail', failureClass: 'details_invalid', reason: 'no start' })).toBe('[details_invalid] no start');
  });
});
