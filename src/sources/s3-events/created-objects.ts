/** An object an S3 event says was created. Keys are always decoded here. */
export interface CreatedObject {
  bucket: string;
  key: string;
  size?: number;
}

export type S3Notification = { kind: 'test' } | { kind: 'objects'; objects: CreatedObject[] } | { kind: 'other'; reason: string };

/** S3 event keys are form-URL-encoded (a space arrives as `+`, `:` as `%3A`). */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * S3's own notification (what SNS carries in `Message`): `s3:TestEvent` when a notification is configured, else
 * `Records`, of which only `ObjectCreated:*` ones name recordings (Put, Post, Copy and CompleteMultipartUpload alike).
 */
export function parseS3Notification(json: unknown): S3Notification {
  const body = asRecord(json);
  if (!body) return { kind: 'other', reason: 'not a JSON object' };
  if (body.Event === 's3:TestEvent') return { kind: 'test' };
  if (!Array.isArray(body.Records)) return { kind: 'other', reason: 'no Records' };
  const objects: CreatedObject[] = [];
  for (const entry of body.Records) {
    const record = asRecord(entry);
    if (typeof record?.eventName !== 'string' || !record.eventName.startsWith('ObjectCreated:')) continue;
    const s3 = asRecord(record.s3);
    const bucket = asRecord(s3?.bucket)?.name;
    const object = asRecord(s3?.object);
    if (typeof bucket !== 'string' || typeof object?.key !== 'string') continue;
    objects.push({ bucket, key: decodeS3Key(object.key), ...(typeof object.size === 'number' ? { size: object.size } : {}) });
  }
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
  return { kind: 'objects', objects: [{ bucket, key: object.key, ...(typeof object.size === 'number' ? { size: object.size } : {}) }] };
}
