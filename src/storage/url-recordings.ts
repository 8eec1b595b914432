import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { Transform } from 'node:stream';
import type { UrlRecordingRef } from '../calls/recording-ref.js';
import { CONTENT_TYPES, detectMediaFormat, MAX_MEDIA_BYTES, SNIFF_BYTES } from './media-format.js';
import { RecordingError } from './recording-errors.js';
import type { RecordingReader } from './recording-store.js';

export interface UrlRecordingReaderOptions {
  /** The vendor's name, as in the job's `recording.vendor`: for messages only. */
  vendor: string;
  /** The vendor's configured API base (e.g. TWILIO_API_BASE_URL): only URLs on its origin are ever fetched. */
  apiBaseUrl: string;
  /** The `Authorization` header for a URL on the vendor's origin; it is never sent to any other origin. */
  authorization: (url: string) => string | undefined;
  /** @defaultValue 5 */
  maxRedirects?: number;
  /** Longest silence while connecting or reading. @defaultValue 30000 */
  timeoutMs?: number;
  /** @defaultValue MAX_MEDIA_BYTES (Gong's 1.5 GB) */
  maxBytes?: number;
  /** For https: a custom agent (tests pass one trusting their own CA). */
  httpsAgent?: HttpsAgent;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Reads recordings a vendor serves over HTTP. A job's URL came from a webhook, so the only URLs fetched are those
 * on the configured API origin (scheme, host and port): anyone able to forge or replay a webhook must not make the
 * service fetch an internal address. Redirects are followed only to https, and credentials only go to the
 * vendor's origin (a redirect to a signed storage URL gets none). Bodies are streamed with their exact length;
 * without one, `inspect` counts it and `open` streams it with that length: never buffered in memory or on disk.
 */
export function createUrlRecordingReader(options: UrlRecordingReaderOptions): RecordingReader<UrlRecordingRef> {
  const origin = new URL(options.apiBaseUrl).origin;
  const maxBytes = options.maxBytes ?? MAX_MEDIA_BYTES;
  const timeoutMs = options.timeoutMs ?? 30_000;

  function checkOrigin(ref: UrlRecordingRef): URL {
    let url: URL;
    try {
      url = new URL(ref.url);
    } catch {
      throw new RecordingError('origin_not_allowed', `The ${options.vendor} recording URL is not a URL; nothing was fetched`);
    }
    if (url.origin !== origin) {
      throw new RecordingError('origin_not_allowed', `The ${options.vendor} recording is on ${url.origin}, not on the configured API origin ${origin}; nothing was fetched`);
    }
    return url;
  }

  function getOnce(url: URL): Promise<IncomingMessage> {
    const headers: Record<string, string> = { accept: 'audio/*, */*' };
    const authorization = url.origin === origin ? options.authorization(url.href) : undefined;
    if (authorization) headers.authorization = authorization;
    return new Promise((resolve, reject) => {
      const req =
        url.protocol === 'https:'
          ? httpsRequest(url, { headers, ...(options.httpsAgent ? { agent: options.httpsAgent } : {}) }, resolve)
          : httpRequest(url, { headers }, resolve);
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error) => reject(new RecordingError('storage_unavailable', `${options.vendor} recording could not be fetched: ${error.message}`, { cause: error })));
      req.end();
    });
  }

  /** GET with redirects; resolves with a 200 response whose body is not yet read. */
  async function get(ref: UrlRecordingRef): Promise<IncomingMessage> {
    let url = checkOrigin(ref);
    for (let hop = 0; ; hop++) {
      const res = await getOnce(url);
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location) {
        res.resume();
        const next = new URL(res.headers.location, url);
        if (next.protocol !== 'https:') throw new RecordingError('origin_not_allowed', `${options.vendor} redirected the recording to ${next.protocol}// (only https is followed); nothing was fetched there`);
        if (hop >= (options.maxRedirects ?? 5)) throw new RecordingError('storage_unavailable', `${options.vendor} redirected the recording more than ${options.maxRedirects ?? 5} times`);
        url = next;
        continue;
      }
      if (status === 200) return res;
      res.resume();
      throw statusError(status, options.vendor);
    }
  }

  return {
    async inspect(ref) {
      const res = await get(ref);
      try {
        const declared = contentLength(res);
        if (declared !== undefined) checkSize(declared, ref, maxBytes);
        const { head, total } = await sniffAndCount(res, declared === undefined ? maxBytes : 0);
        const size = declared ?? total;
        checkSize(size, ref, maxBytes);
        const format = detectMediaFormat(head);
        if (!format) {
          throw new RecordingError('unsupported_format', `The ${options.vendor} recording is not WAV, MP3, MP4, MKV or FLAC (first bytes: ${Buffer.from(head.subarray(0, 8)).toString('hex')})`);
        }
        const base = new URL(ref.url).pathname.split('/').pop() || 'recording';
        const fileName = base.toLowerCase().endsWith(`.${format}`) ? base : `${base}.${format}`;
        return { size, format, contentType: CONTENT_TYPES[format], fileName };
      } finally {
        res.destroy();
      }
    },

    async open(ref, info) {
      const res = await get(ref);
      const declared = contentLength(res);
      if (declared !== undefined) {
        if (declared !== info.size) {
          res.destroy();
          throw new RecordingError('storage_unavailable', `The ${options.vendor} recording changed size (${info.size} → ${declared} bytes) between reads; will retry`);
        }
        return { stream: res, size: declared };
      }
      return exactLength(res, info.size, ref);
    },
  };
}

function statusError(status: number, vendor: string): RecordingError {
  if (status === 404) {
    // The vendor's file can lag its "recording ready" callback by a moment: retried with backoff.
    return new RecordingError('storage_unavailable', `${vendor} answered 404 for the recording (it can lag the callback); will retry`);
  }
  if (status === 410) return new RecordingError('recording_missing', `${vendor} says the recording is gone (410)`);
  if (status === 401 || status === 403) {
    return new RecordingError('source_not_configured', `${vendor} refused the credentials for the recording (${status}); fix them, then replay`);
  }
  return new RecordingError('storage_unavailable', `${vendor} answered ${status} for the recording; will retry`);
}

function contentLength(res: IncomingMessage): number | undefined {
  const header = res.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

function checkSize(size: number, ref: UrlRecordingRef, maxBytes: number): void {
  if (size > maxBytes) throw new RecordingError('recording_too_large', `The ${ref.vendor} recording is over ${maxBytes} bytes; Gong accepts at most 1.5 GB`);
  if (size === 0) throw new RecordingError('recording_empty', `The ${ref.vendor} recording is empty`);
}

/** The first bytes, and when `countUpTo` > 0 the whole length (read and dropped, stopping past the limit). */
async function sniffAndCount(res: IncomingMessage, countUpTo: number): Promise<{ head: Uint8Array; total: number }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (total < SNIFF_BYTES) chunks.push(chunk);
    total += chunk.length;
    if (total >= SNIFF_BYTES && countUpTo === 0) break;
    if (countUpTo > 0 && total > countUpTo) break;
  }
  return { head: Buffer.concat(chunks).subarray(0, SNIFF_BYTES), total };
}

/**
 * A body sent without Content-Length, streamed once with the length `inspect` counted: Gong's upload needs the length
 * up front, and spooling to /tmp would need room for every running job's recording (up to 1.5 GB each) in a
 * small emptyDir. A body that turns out longer or shorter than counted fails the upload, and the job retries.
 */
function exactLength(res: IncomingMessage, size: number, ref: UrlRecordingRef) {
  let seen = 0;
  const changed = () => new RecordingError('storage_unavailable', `The ${ref.vendor} recording changed size between reads (${size} bytes counted); will retry`);
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > size) callback(changed());
      else callback(null, chunk);
    },
    flush(callback) {
      callback(seen === size ? null : changed());
    },
  });
  res.on('error', (error) => counted.destroy(new RecordingError('storage_unavailable', `The ${ref.vendor} recording could not be read to the end: ${error.message}`, { cause: error })));
  return { stream: res.pipe(counted), size };
}
