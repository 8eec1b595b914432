import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { LedgerStore } from './ledger.js';
import { mediaTexts } from './media-texts.js';
import type { CallRecord, MediaFailure, MediaRecord } from './types.js';

/** Fetches calls' downloadMediaUrl in the background, as Gong does after answering the create. */
export interface Downloader {
  start(call: CallRecord, url: string): void;
  /** Aborts downloads under way and waits for them to wind down. */
  closeAll(): Promise<void>;
}

export interface DownloaderDeps {
  ledger: LedgerStore;
  events: EventEmitter;
  maxBytes: () => number;
}

// Gong takes audio, video, or an octet-stream holding one of its formats.
const ACCEPTED_TYPE = /^(audio\/[\w.+-]+|video\/[\w.+-]+|application\/octet-stream)$/i;

/**
 * Streams each download through a hash and a byte count, never buffering the file. Success stores the media
 * (via 'download') and emits 'media-stored'; failure emits 'media-failed' with the reason, since Gong gives the
 * client no answer about a download either.
 */
export function createDownloader(deps: DownloaderDeps): Downloader {
  const running = new Map<AbortController, Promise<void>>();

  async function run(call: CallRecord, url: string, signal: AbortSignal): Promise<void> {
    let outcome: MediaRecord | string;
    try {
      outcome = await fetchMedia(url, deps.maxBytes(), signal);
    } catch (error) {
      if (signal.aborted) return;
      outcome = `GET ${url} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (typeof outcome === 'string') return fail(call.callId, outcome);

    const current = deps.ledger.call(call.callId);
    if (!current) return; // the ledger was reset meanwhile
    if (current.media) return fail(call.callId, mediaTexts.alreadyHandled(call.callId));
    if (deps.ledger.callIdWithContent(outcome.sha256) !== undefined) return fail(call.callId, mediaTexts.sameContent());
    deps.ledger.attachMedia(call.callId, outcome);
    deps.events.emit('media-stored', current);
  }

  function fail(callId: string, reason: string): void {
    deps.events.emit('media-failed', { callId, reason } satisfies MediaFailure);
  }

  return {
    start(call, url) {
      const controller = new AbortController();
      const done = run(call, url, controller.signal).finally(() => running.delete(controller));
      running.set(controller, done);
    },
    async closeAll() {
      for (const controller of running.keys()) controller.abort();
      await Promise.allSettled(running.values());
    },
  };
}

/** The media record for the file at `url`, or why Gong would refuse it. */
async function fetchMedia(url: string, maxBytes: number, signal: AbortSignal): Promise<MediaRecord | string> {
  const response = await fetch(url, { signal });
  const refuse = async (reason: string): Promise<string> => {
    await response.body?.cancel();
    return reason;
  };
  if (!response.ok) return refuse(`GET ${url} answered ${response.status}`);
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!ACCEPTED_TYPE.test(contentType)) return refuse(`Content type ${contentType || '(none)'} is not audio/*, video/* or application/octet-stream`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) return refuse(`The media file is larger than the limit of ${maxBytes} bytes`);
  if (!response.body) return 'The download has no body';

  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.length;
    // Leaving the loop cancels the stream, so no refuse() here (the body is locked to the iterator).
    if (bytes > maxBytes) return `The media file is larger than the limit of ${maxBytes} bytes`;
    hash.update(chunk);
  }
  if (bytes === 0) return 'The downloaded media file is empty';
  return { bytes, sha256: hash.digest('hex'), fileName: fileNameOf(response.headers.get('content-disposition'), url), contentType, via: 'download' };
}

/** The name from Content-Disposition, else the URL's last path segment (what S3 pre-signed URLs give). */
function fileNameOf(disposition: string | null, url: string): string {
  const quoted = disposition?.match(/filename="([^"]+)"/i)?.[1] ?? disposition?.match(/filename=([^;]+)/i)?.[1];
  if (quoted) return quoted.trim();
  const last = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
