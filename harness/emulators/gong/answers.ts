import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** An HTTP answer as handlers return it; the exchange decides whether it is sent or lost. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /**
   * Close the connection after answering instead of reading the rest of the request body (used when the
   * declared body is too large to be worth draining).
   */
  closeConnection?: boolean;
}

/** A request id in Gong's style (lower-case base-36, about 19 characters). */
export function newRequestId(): string {
  return BigInt(`0x${randomBytes(12).toString('hex')}`).toString(36).slice(0, 19).padStart(19, '0');
}

/** Gong's error shape, used for every error the emulator gives on /v2: `{requestId, errors: [...]}`. */
export function gongError(status: number, errors: string | string[], headers?: Record<string, string>): Answer {
  return { status, body: { requestId: newRequestId(), errors: Array.isArray(errors) ? errors : [errors] }, ...(headers ? { headers } : {}) };
}

/** Writes a JSON answer with an exact Content-Length. */
export function sendJson(res: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...answer.headers,
    ...(answer.closeConnection ? { connection: 'close' } : {}),
  });
  res.end(text);
}
