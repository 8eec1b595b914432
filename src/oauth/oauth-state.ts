import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The `state` of Gong's authorize redirect: which tenant is being connected, a nonce, and an expiry, signed
 * (HMAC-SHA256) with a key derived from TOKEN_ENCRYPTION_KEY (stateKeyOf), so one key is never used by two
 * algorithms. The callback trusts the tenant named in it only when the signature holds and it has not expired; the
 * nonce makes it single use (the callback claims it in Redis).
 */
export interface OAuthState {
  tenant: string;
  nonce: string;
  expiresAt: number;
}

export class OAuthStateError extends Error {
  override readonly name = 'OAuthStateError';
}

/** How long an operator has to finish Gong's consent page. @defaultValue 600000 (10 minutes) */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export function signState(tenant: string, key: Buffer, now = Date.now()): { state: string; nonce: string } {
  const payload: OAuthState = { tenant, nonce: randomBytes(16).toString('base64url'), expiresAt: now + OAUTH_STATE_TTL_MS };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { state: `${body}.${mac(body, key)}`, nonce: payload.nonce };
}

export function verifyState(state: string, key: Buffer, now = Date.now()): OAuthState {
  const [body = '', signature = ''] = state.split('.');
  const expected = Buffer.from(mac(body, key));
  const given = Buffer.from(signature);
  if (!body || given.length !== expected.length || !timingSafeEqual(given, expected)) throw new OAuthStateError('state is not one this service signed');
  let parsed: Partial<OAuthState>;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<OAuthState>;
  } catch {
    throw new OAuthStateError('state is not one this service signed');
  }
  if (typeof parsed.tenant !== 'string' || typeof parsed.nonce !== 'string' || typeof parsed.expiresAt !== 'number') throw new OAuthStateError('state is not one this service signed');
  if (parsed.expiresAt < now) throw new OAuthStateError('state has expired: start the connection again');
  return parsed as OAuthState;
}

/** The state-signing key: HMAC-SHA256 of a fixed label under TOKEN_ENCRYPTION_KEY. */
export function stateKeyOf(tokenKey: Buffer): Buffer {
  return createHmac('sha256', tokenKey).update('gong-ingest oauth state key v1').digest();
}

function mac(body: string, key: Buffer): string {
  return createHmac('sha256', key).update('gong-ingest oauth state v1:').update(body).digest('base64url');
}
