import type { Logger } from '../../logging/logger.js';
import { acceptCall, type EnqueueCall } from '../accept-call.js';
import type { SourceResponse } from '../source-handler.js';
import type { CreatedObject } from './created-objects.js';
import { intakeForObject } from './recording-intake.js';

export interface AcceptObjectsOptions {
  allowedBuckets: ReadonlySet<string>;
  enqueue: EnqueueCall;
  logger: Logger;
}

/**
 * Turns the created objects of one event into jobs. Objects in buckets the service may not read, and objects that
 * are not recordings, are skipped (logged, counted as ignored), not refused: the sender cannot fix them by
 * retrying. If Redis cannot take any one job the answer is 503 so the whole event is delivered again; the jobs
 * already added are then found as duplicates.
 */
export async function acceptObjects(source: string, objects: CreatedObject[], options: AcceptObjectsOptions): Promise<SourceResponse> {
  const jobs: Array<Record<string, unknown>> = [];
  const skipped: Array<{ bucket: string; key: string; reason: string }> = [];
  let accepted = 0;
  for (const object of objects) {
    if (!options.allowedBuckets.has(object.bucket)) {
      skipped.push({ bucket: object.bucket, key: object.key, reason: 'bucket not in S3_ALLOWED_BUCKETS' });
      continue;
    }
    const decided = intakeForObject(object);
    if ('skipped' in decided) {
      skipped.push({ bucket: object.bucket, key: object.key, reason: decided.skipped });
      continue;
    }
    const answer = await acceptCall(source, decided.intake, options.enqueue);
    if (answer.status >= 500) return answer;
    if (answer.outcome === 'accepted') accepted++;
    jobs.push(answer.body);
  }
  for (const s of skipped) options.logger.info({ source, bucket: s.bucket, key: s.key, reason: s.reason }, 's3 object skipped');
  if (jobs.length === 0) return { status: 200, outcome: 'ignored', body: { ignored: true, skipped } };
  return { status: 202, outcome: accepted > 0 ? 'accepted' : 'duplicate', body: { jobs, ...(skipped.length ? { skipped } : {}) } };
}
