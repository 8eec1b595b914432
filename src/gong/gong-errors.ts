/** Which Gong call failed; also a metric label. */
export type GongOperation = 'createCall' | 'uploadMedia' | 'listUsers';

/** Gong answered with a status this client does not treat as success. */
export class GongHttpError extends Error {
  override readonly name = 'GongHttpError';
  readonly code = 'GONG_HTTP';
  constructor(
    readonly operation: GongOperation,
    readonly status: number,
    /** The texts of Gong's `errors` array: the only place some facts (like an existing call id) appear. */
    readonly gongMessages: string[],
    readonly requestId: string | undefined,
    /** Parsed from `Retry-After` on a 429, already clamped. */
    readonly retryAfterMs?: number,
    /** A 401 to an OAuth tenant's token: the next attempt gets a new one, so it is worth retrying. */
    readonly tokenRejected = false,
  ) {
    super(`Gong ${operation} answered ${status}${gongMessages.length ? `: ${gongMessages.join('; ')}` : ''}`);
  }
}

/** No answer from Gong: connection refused or reset, timeout, socket closed mid-upload. */
export class GongNetworkError extends Error {
  override readonly name = 'GongNetworkError';
  readonly code = 'GONG_NETWORK';
  constructor(
    readonly operation: GongOperation,
    /** The system or got error code, e.g. ECONNRESET, ETIMEDOUT. */
    readonly causeCode: string,
    options?: { cause?: unknown },
  ) {
    super(`Gong ${operation} got no answer (${causeCode})`, options);
  }
}
