import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { createThrottle } from './throttle.js';

/** The field Gong reads the recording from. */
export const MEDIA_FIELD = 'mediaFile';

/** How a multipart media body ended. */
export type Received =
  | { kind: 'file'; bytes: number; sha256: string; fileName: string; contentType: string }
  | { kind: 'rejected'; message: string }
  | { kind: 'cut' }
  | { kind: 'aborted' };

export interface ReceiveOptions {
  maxBytes: number;
  bytesPerSecond: () => number;
  /** Destroy the connection once this many body bytes arrived (or at the end of a shorter body). */
  cutAfter?: number;
  /** Called at once when the cut happens; it destroys the connection. */
  onCut: () => void;
  /** File bytes received so far, after each chunk. */
  onProgress: (bytesReceived: number) => void;
}

/**
 * Streams a multipart body through busboy, hashing and counting the `mediaFile` part as it passes: memory stays
 * flat whatever the file size. Resolves once the body is fully read (then the answer can be sent), cut, or gone.
 */
export function receiveMediaFile(req: IncomingMessage, options: ReceiveOptions): Promise<Received> {
  return new Promise((resolve) => {
    let settled = false;
    const throttle = createThrottle(options.bytesPerSecond);
    let parser: busboy.Busboy | undefined;

    const finish = (result: Received): void => {
      if (settled) return;
      settled = true;
      req.off('data', countRaw);
      if (result.kind === 'rejected') {
        // Read the rest of the body so the answer reaches the client and the connection stays usable.
        req.unpipe(throttle);
        req.resume();
      }
      if (result.kind !== 'file') {
        throttle.destroy();
        parser?.destroy();
      }
      resolve(result);
    };

    let rawBytes = 0;
    const countRaw = (chunk: Buffer): void => {
      rawBytes += chunk.length;
      if (options.cutAfter !== undefined && rawBytes >= options.cutAfter) {
        finish({ kind: 'cut' });
        options.onCut();
      }
    };
    req.on('data', countRaw);
    req.once('aborted', () => finish({ kind: 'aborted' }));
    req.on('error', () => finish({ kind: 'aborted' }));

    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: options.maxBytes } });
    } catch (error) {
      finish({ kind: 'rejected', message: `The multipart body cannot be read: ${(error as Error).message}` });
      return;
    }

    let file: { bytes: number; hash: ReturnType<typeof createHash>; fileName: string; contentType: string } | undefined;
    const otherFields: string[] = [];
    let tooLarge = false;

    parser.on('file', (name, stream, info) => {
      stream.on('error', () => {}); // busboy destroys part streams when a body ends early; that is reported below
      if (name !== MEDIA_FIELD || file) {
        if (name !== MEDIA_FIELD) otherFields.push(name);
        stream.resume();
        return;
      }
      const current = { bytes: 0, hash: createHash('sha256'), fileName: info.filename ?? '', contentType: info.mimeType };
      file = current;
      stream.on('data', (chunk: Buffer) => {
        current.hash.update(chunk);
        current.bytes += chunk.length;
        options.onProgress(current.bytes);
      });
      stream.once('limit', () => {
        tooLarge = true;
      });
    });
    parser.on('error', (error: unknown) => {
      finish({ kind: 'rejected', message: `The multipart body cannot be read: ${error instanceof Error ? error.message : String(error)}` });
    });
    parser.on('close', () => {
      if (options.cutAfter !== undefined) {
        // The body was shorter than the planned cut: cut before answering, so the fault still happens once.
        finish({ kind: 'cut' });
        options.onCut();
      } else if (tooLarge) {
        finish({ kind: 'rejected', message: `The media file is larger than the limit of ${options.maxBytes} bytes` });
      } else if (!file) {
        const seen = otherFields.length > 0 ? `; the body has file field(s) ${otherFields.join(', ')}` : '';
        finish({ kind: 'rejected', message: `The request must carry the recording in the multipart field ${MEDIA_FIELD}${seen}` });
      } else if (file.bytes === 0) {
        finish({ kind: 'rejected', message: `The ${MEDIA_FIELD} file is empty` });
      } else {
        finish({ kind: 'file', bytes: file.bytes, sha256: file.hash.digest('hex'), fileName: file.fileName, contentType: file.contentType });
      }
    });

    req.pipe(throttle).pipe(parser);
  });
}
