import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { S3RecordingRef } from '../calls/recording-ref.js';
import { CONTENT_TYPES, detectMediaFormat, MAX_MEDIA_BYTES, SNIFF_BYTES, type MediaFormat } from './media-format.js';
import { RecordingError } from './recording-errors.js';
import { s3KeyProblem } from './s3-key-rules.js';
import type { RecordingInfo, RecordingReader } from './recording-store.js';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface S3Options {
  /** For S3-compatible stores (MinIO, s3rver); unset means AWS. */
  endpoint?: string;
  /** @defaultValue false */
  forcePathStyle: boolean;
  /** The recordings' bucket's region (see load-config.ts). */
  region: string;
}

/** Credentials come from the AWS SDK's standard chain (env, profile, IRSA, instance role). */
export function createS3Client(options: S3Options): S3Client {
  return new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    region: options.region,
  });
}

/** Reads recordings from the allowed buckets; `presign` makes the time-limited URL Gong pulls from in pull mode. */
export interface S3RecordingReader extends RecordingReader<S3RecordingRef> {
  presign(ref: S3RecordingRef, info: RecordingInfo, ttlSeconds: number): Promise<string>;
}

export function createS3RecordingReader(s3: S3Client, allowedBuckets: readonly string[]): S3RecordingReader {
  const allowed = new Set(allowedBuckets);

  /**
   * Checked again here, not only at intake: a job written before intake checked keys (or by anything else that can
   * add jobs) must not read past S3_ALLOWED_BUCKETS, and a key S3 can never serve fails at once, not after 8 retries.
   */
  function checkBucket(ref: S3RecordingRef): void {
    if (!allowed.has(ref.bucket)) {
      throw new RecordingError('bucket_not_allowed', `Bucket "${ref.bucket}" is not in S3_ALLOWED_BUCKETS; the recording was not read`);
    }
    const problem = s3KeyProblem(ref.key);
    if (problem) {
      // JSON.stringify shows control characters and lone surrogates as escapes instead of printing them.
      throw new RecordingError('recording_key_invalid', `Recording key ${JSON.stringify(ref.key.slice(0, 200))} in bucket "${ref.bucket}" ${problem}; the recording was not read`);
    }
  }

  return {
    async inspect(ref) {
      checkBucket(ref);
      const where = `s3://${ref.bucket}/${ref.key}`;
      const head = await s3Call(where, () => s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key })));
      const size = head.ContentLength ?? 0;
      if (size === 0) throw new RecordingError('recording_empty', `Recording ${where} is empty`);
      if (size > MAX_MEDIA_BYTES) {
        throw new RecordingError('recording_too_large', `Recording ${where} is ${size} bytes; Gong accepts at most ${MAX_MEDIA_BYTES} (1.5 GB)`);
      }
      const first = await s3Call(where, () =>
        s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, Range: `bytes=0-${SNIFF_BYTES - 1}`, IfMatch: head.ETag })),
      );
      const headBytes = first.Body ? await first.Body.transformToByteArray() : new Uint8Array();
      const format = detectMediaFormat(headBytes);
      if (!format) {
        throw new RecordingError(
          'unsupported_format',
          `Recording ${where} is not WAV, MP3, MP4, MKV or FLAC (first bytes: ${Buffer.from(headBytes.subarray(0, 8)).toString('hex')})`,
        );
      }
      return { size, etag: head.ETag, format, contentType: CONTENT_TYPES[format], fileName: fileNameFor(ref.key, format) };
    },

    async open(ref, info) {
      checkBucket(ref);
      const where = `s3://${ref.bucket}/${ref.key}`;
      const object = await s3Call(where, () => s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, IfMatch: info.etag })));
      if (!(object.Body instanceof Readable)) throw new RecordingError('storage_unavailable', `S3 returned no body for ${where}`);
      if (object.ContentLength !== info.size) {
        object.Body.destroy();
        throw new RecordingError('storage_unavailable', `Recording ${where} changed size while being read; will retry`);
      }
      return { stream: object.Body, size: info.size };
    },

    async presign(ref, info, ttlSeconds) {
      checkBucket(ref);
      // No If-Match here: it would become a signed header that Gong's downloader does not send.
      const command = new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ResponseContentType: info.contentType });
      return getSignedUrl(s3, command, { expiresIn: ttlSeconds });
    },
  };
}

function fileNameFor(key: string, format: MediaFormat): string {
  const base = key.split('/').pop() || 'recording';
  return base.toLowerCase().endsWith(`.${format}`) ? base : `${base}.${format}`;
}

/** Maps the SDK's errors onto the service's: a missing object is permanent, anything else may pass. */
async function s3Call<T>(where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof S3ServiceException) {
      const status = error.$metadata.httpStatusCode;
      if (status === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound' || error.name === 'NoSuchBucket') {
        throw new RecordingError('recording_missing', `Recording ${where} does not exist`, { cause: error });
      }
      if (status === 403) {
        throw new RecordingError('storage_unavailable', `Access to ${where} was denied; check the service's S3 permissions`, { cause: error });
      }
      throw new RecordingError('storage_unavailable', `S3 failed for ${where}: ${error.name} (${status ?? 'no status'})`, { cause: error });
    }
    const code = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.name) : 'unknown';
    throw new RecordingError('storage_unavailable', `S3 could not be reached for ${where} (${code})`, { cause: error });
  }
}
