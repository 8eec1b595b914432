import type { IncomingMessage } from 'node:http';

export type JsonBody = { kind: 'json'; value: unknown } | { kind: 'invalid'; message: string } | { kind: 'aborted' };

/** Enough for any call's metadata; a larger body is a client bug, not a call. */
const LIMIT_BYTES = 1024 * 1024;

/** Reads and parses a small JSON request body. */
export function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= LIMIT_BYTES) chunks.push(chunk); // past the limit, keep reading (so the answer arrives) but drop
    });
    req.once('aborted', () => resolve({ kind: 'aborted' }));
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.once('end', () => {
      if (size > LIMIT_BYTES) return resolve({ kind: 'invalid', message: `The request body is larger than ${LIMIT_BYTES} bytes` });
      try {
        resolve({ kind: 'json', value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve({ kind: 'invalid', message: 'The request body is not valid JSON' });
      }
    });
  });
}
