import { genericCallSchema } from '../sources/generic/generic-payload.js';
import { genericCallToJob } from '../sources/generic/generic-to-job.js';
import { zodFieldProblems } from '../validation/field-problems.js';
import type { ImportRow } from './import-row.js';

/**
 * A manifest row checked exactly as the generic webhook checks its `data` (the same schema, the same bucket rule),
 * and turned into the same job fields. Field names in problems are the `data` field paths (`parties.0.emailAddress`).
 */
export function validateRow(line: number, data: unknown, allowedBuckets: ReadonlySet<string>): ImportRow {
  const parsed = genericCallSchema.safeParse(data);
  if (!parsed.success) return { line, kind: 'invalid', problems: zodFieldProblems(parsed.error) };
  const { bucket, key } = parsed.data.recording;
  if (!allowedBuckets.has(bucket)) {
    return { line, kind: 'invalid', problems: [{ field: 'recording.bucket', problem: `bucket "${bucket}" is not one this service may read (S3_ALLOWED_BUCKETS)` }] };
  }
  return { line, kind: 'call', intake: genericCallToJob(parsed.data), recordingKey: `s3://${bucket}/${key}` };
}
