import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Standard Webhooks (standardwebhooks.com) verification: HMAC-SHA256 over `${id}.${timestamp}.${body}`, keyed with
 * the base64 part of a `whsec_` secret; the header may carry several space-separated `v1,<base64>` signatures
 * (secret rotation). Pure: the clock is passed in.
 */
export interface StandardWebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type VerifyResult = { ok: true } | { ok: false; problem: string };

export function signStandardWebhook(secret: string, id: string, timestamp: number, rawBody: Buffer | string): string {
  return `v1,${createHmac('sha256', hmacKey(secret)).update(`${id}.${timestamp}.`).update(rawBody).digest('base64')}`;
}

/**
 * The secret as a KeyObject, made once per secret: handing createHmac a Buffer makes it build and check a new key
 * object on every call, which was 7 % of the API's CPU per webhook. A process holds a handful of secrets (one per
 * source and tenant, plus the previous one during a rotation), so the cache stays small; it is cut at 1,000.
 */
function hmacKey(secret: string): KeyObject {
  let key = KEYS.get(secret);
  if (!key) {
    if (KEYS.size >= 1_000) KEYS.clear();
    key = createSecretKey(Buffer.from(secret.replace(/^whsec_/, ''), 'base64'));
    KEYS.set(secret, key);
  }
  return key;
}
const KEYS = new Map<string, KeyObject>();

export function verifyStandardWebhook(
  headers: StandardWebhookHeaders,
  rawBody: Buffer,
  secret: string,
  toleranceSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) {
    return { ok: false, problem: 'webhook-id, webhook-timestamp and webhook-signature headers are required' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, problem: 'webhook-timestamp must be unix seconds' };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, problem: `webhook-timestamp is more than ${toleranceSeconds} seconds away from now` };
  }
  const expected = Buffer.from(signStandardWebhook(secret, id, Number(timestamp), rawBody).slice(3), 'base64');
  const matches = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => {
      const given = Buffer.from(entry.slice(3), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  return matches ? { ok: true } : { ok: false, problem: 'no webhook-signature entry matches' };
}
