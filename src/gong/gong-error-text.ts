/**
 * Gong reports some facts only in its error texts (GONG-FACTS.md). Every reading of those texts lives here, so
 * nothing else in the service branches on message strings.
 */

const ALREADY_POSTED = /has already been posted for the call (\d+)/i;

/** The id of the call that an earlier create made, from the 400 Gong gives for a reused clientUniqueId. */
export function existingCallIdFromDuplicate(messages: readonly string[]): string | undefined {
  for (const m of messages) {
    const match = ALREADY_POSTED.exec(m);
    if (match) return match[1];
  }
  return undefined;
}

/** Gong already holds media for this call: an earlier upload succeeded and its answer was lost. */
export function isMediaAlreadyHandled(messages: readonly string[]): boolean {
  return messages.some((m) => /has already been handled/i.test(m));
}

/** The same bytes were uploaded to some call before. Not retryable: Gong will refuse these bytes forever. */
export function isDuplicateMediaContent(messages: readonly string[]): boolean {
  return messages.some((m) => /same content has been uploaded in the past/i.test(m));
}

/** The 409 for a user whose telephony import is switched off in Gong's settings. */
export function isImportDisabled(status: number, messages: readonly string[]): boolean {
  return status === 409 || messages.some((m) => /import is not enabled/i.test(m));
}

export interface RetryAfterBounds {
  /** @defaultValue 1000 */
  minMs: number;
  /** @defaultValue 24 hours: a longer wait is still obeyed, but no more than a day. */
  maxMs: number;
}

const DEFAULT_BOUNDS: RetryAfterBounds = { minMs: 1_000, maxMs: 24 * 3600_000 };

/**
 * `Retry-After` is documented as whole seconds, but integrators have seen values that only make sense as
 * milliseconds, and HTTP also allows a date. Read all three defensively and clamp the result.
 * A number above 86400 cannot be seconds of a per-day limit, so it is read as milliseconds.
 */
export function parseRetryAfter(header: string | undefined, now = Date.now(), bounds = DEFAULT_BOUNDS): number {
  const clamp = (ms: number) => Math.min(bounds.maxMs, Math.max(bounds.minMs, Math.ceil(ms)));
  if (header === undefined || header.trim() === '') return bounds.minMs;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    return clamp(n > 86_400 ? n : n * 1000);
  }
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return clamp(date - now);
  return bounds.minMs;
}
