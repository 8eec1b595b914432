import type { FieldProblem } from '../validation/field-problems.js';

/**
 * What every phone-system source looks like to the HTTP layer: a handler that never sees Express. It takes the
 * raw request (signatures are computed over raw bytes) and returns the answer, plus the outcome for the metrics.
 */
export interface SourceRequest {
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  /** Path and query as received, e.g. `/webhooks/twilio?x=1`. */
  originalUrl: string;
}

export type WebhookOutcome = 'accepted' | 'duplicate' | 'invalid' | 'unauthorized' | 'ignored' | 'unavailable';

export interface SourceResponse {
  status: number;
  body: Record<string, unknown>;
  outcome: WebhookOutcome;
  headers?: Record<string, string>;
}

/** A 400 that names every invalid field. */
export function invalid(fields: FieldProblem[]): SourceResponse {
  return { status: 400, outcome: 'invalid', body: { error: 'invalid_payload', message: 'The webhook body is invalid', fields } };
}

export function unauthorized(message: string, status = 401): SourceResponse {
  return { status, outcome: 'unauthorized', body: { error: 'unauthorized', message } };
}
