import type { FieldProblem } from '../../validation/field-problems.js';
import { s3KeyProblem } from '../intake/field-rules.js';

/** An object an S3 event says was created. Keys are always decoded here. */
export interface CreatedObject {
  bucket: string;
  key: string;
  size?: number;
}

export type S3Notification =
  | { kind: 'test' }
  | { kind: 'objects'; objects: CreatedObject[] }
  | { kind: 'other'; reason: string }
  /** A record the service must refuse (a key that cannot be decoded, or that no reader would accept). */
  | { kind: 'invalid'; fields: FieldProblem[] };

/** S3 event keys are form-URL-encoded (a space arrives as `+`, `:` as `%3A`). Throws URIError on a malformed escape. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * S3's own notification (what SNS carries in `Message`): `s3:TestEvent` when a notification is configured, else
 * `Records`, of which only `ObjectCreated:*` ones name recordings (Put, Post, Copy and CompleteMultipartUpload alike).
 * Every key is decoded and checked before any record is taken: one bad record refuses the whole delivery, so a
 * refused delivery leaves no job. `field` prefixes the names in the answer (`Message` for SNS).
 */
export function parseS3Notification(json: unknown, field = ''): S3Notification {
  const body = asRecord(json);
  if (!body) return { kind: 'other', reason: 'not a JSON object' };
  if (body.Event === 's3:TestEvent') return { kind: 'test' };
  if (!Array.isArray(body.Records)) return { kind: 'other', reason: 'no Records' };
  const objects: CreatedObject[] = [];
  const problems: FieldProblem[] = [];
  body.Records.forEach((entry, index) => {
    const record = asRecord(entry);
    if (typeof record?.eventName !== 'string' || !record.eventName.startsWith('ObjectCreated:')) return;
    const s3 = asRecord(record.s3);
    const bucket = asRecord(s3?.bucket)?.name;
    const object = asRecord(s3?.object);
    if (typeof bucket !== 'string' || typeof object?.key !== 'string') return;
    const where = [field, 'Records', index, 's3', 'object', 'key'].filter((p) => p !== '').join('.');
    let key: string;
    try {
      key = decodeS3Key(object.key);
    } catch {
      problems.push({ field: where, problem: 'has a malformed percent escape (S3 sends keys URL-encoded as UTF-8)' });
      return;
    }
    const problem = s3KeyProblem(key);
    if (problem) problems.push({ field: where, problem: `decoded, ${problem}` });
    else objects.push({ bucket, key, ...(typeof object.size === 'number' ? { size: object.size } : {}) });
  });
  if (problems.length) return { kind: 'invalid', fields: problems };
  return objects.length ? { kind: 'objects', objects } : { kind: 'other', reason: 'no ObjectCreated records' };
}

/** An EventBridge `Object Created` event from `aws.s3`; its key is not URL-encoded. */
export function parseEventBridgeEvent(json: unknown): S3Notification {
  const body = asRecord(json);
  if (!body) return { kind: 'other', reason: 'not a JSON object' };
  if (body.source !== 'aws.s3' || body['detail-type'] !== 'Object Created') {
    return { kind: 'other', reason: `detail-type ${JSON.stringify(body['detail-type'])} from ${JSON.stringify(body.source)} is not an S3 Object Created event` };
  }
  const detail = asRecord(body.detail);
  const bucket = asRecord(detail?.bucket)?.name;
  const object = asRecord(detail?.object);
  if (typeof bucket !== 'string' || typeof object?.key !== 'string') return { kind: 'other', reason: 'detail.bucket.name or detail.object.key is missing' };
  const problem = s3KeyProblem(object.key);
  if (problem) return { kind: 'invalid', fields: [{ field: 'detail.object.key', problem }] };
  return { kind: 'objects', objects: [{ bucket, key: object.key, ...(typeof object.size === 'number' ? { size: object.size } : {}) }] };
}
