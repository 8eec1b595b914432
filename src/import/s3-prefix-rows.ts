import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { intakeForObject } from '../sources/s3-events/recording-intake.js';
import { ImportSourceError } from './import-errors.js';
import type { ImportCursor, ImportRow } from './import-row.js';

/** `s3://bucket/prefix/` split; undefined for anything else. */
export function parseS3Source(source: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(source);
  return match ? { bucket: match[1]!, prefix: match[2]! } : undefined;
}

/**
 * Every object under an S3 prefix, page by page (S3 lists in key order, so a resumed listing starts after the last
 * key handled), each turned into a call job exactly as an S3 event for it would be: the worker then reads its
 * details from the sidecar JSON or the object's metadata (src/sources/s3-sidecar). Objects that are not
 * recordings (sidecars, folder markers) are skipped. Rows are numbered in listing order.
 */
export async function* s3PrefixRows(s3: S3Client, source: { bucket: string; prefix: string }, after?: ImportCursor): AsyncGenerator<ImportRow> {
  let line = after?.line ?? 0;
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(
        new ListObjectsV2Command({ Bucket: source.bucket, Prefix: source.prefix, ContinuationToken: token, StartAfter: token ? undefined : after?.key, MaxKeys: 1000 }),
      );
    } catch (error) {
      throw new ImportSourceError(`Cannot list s3://${source.bucket}/${source.prefix} (${(error as Error).name})`, { cause: error });
    }
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue;
      line++;
      const decided = intakeForObject({ bucket: source.bucket, key: object.Key, size: object.Size });
      if ('skipped' in decided) yield { line, kind: 'skipped', reason: decided.skipped, recordingKey: object.Key };
      else yield { line, kind: 'call', intake: decided.intake, recordingKey: object.Key };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
