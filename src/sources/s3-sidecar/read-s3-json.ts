import { GetObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { RecordingError } from '../../storage/recording-errors.js';
import { DetailsInvalidError } from '../../calls/details-errors.js';
import { parseJsonWithin } from '../intake/json-limits.js';

/** Metadata files are small; anything bigger is not one. */
const MAX_JSON_BYTES = 1024 * 1024;

/** True for S3's "no such object" answers. */
export function isMissing(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound');
}

/** A failure of S3 itself: retried with backoff like any storage outage. */
export function storageError(where: string, error: unknown): RecordingError {
  const code = error instanceof S3ServiceException ? `${error.name} ${error.$metadata.httpStatusCode ?? ''}`.trim() : (error as Error).name;
  return new RecordingError('storage_unavailable', `S3 failed reading ${where} (${code})`, { cause: error });
}

/** Reads a small JSON object; undefined when it does not exist (yet). */
export async function readS3Json(s3: S3Client, bucket: string, key: string): Promise<unknown | undefined> {
  const where = `s3://${bucket}/${key}`;
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if ((object.ContentLength ?? 0) > MAX_JSON_BYTES) throw new DetailsInvalidError(`${where} is larger than ${MAX_JSON_BYTES} bytes; not a metadata file`);
    text = (await object.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (isMissing(error)) return undefined;
    if (error instanceof DetailsInvalidError) throw error;
    throw storageError(where, error);
  }
  // The same limits as a webhook body: the file's content ends up in the job, which BullMQ serialises recursively.
  const parsed = parseJsonWithin(text, where);
  if (!parsed.ok) throw new DetailsInvalidError(`${where} is not usable: ${parsed.fields.map((f) => `${f.field} ${f.problem}`).join('; ')}`);
  return parsed.value;
}
