import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

/** The cookie a browser gets for Bull Board; scoped to /admin, unreadable by scripts, never sent cross-site. */
export const ADMIN_COOKIE = 'gong_ingest_admin';
/** How long the board cookie lasts, checked on the server as well as sent as Max-Age: a working day. @defaultValue 43200 */
export const ADMIN_COOKIE_MAX_AGE_SECONDS = 12 * 3600;
/** How far in the future a cookie's issue time may be: replicas' clocks differ a little. @defaultValue 60 */
export const ADMIN_COOKIE_CLOCK_SKEW_SECONDS = 60;
/** Bumped from v1 (an HMAC of a constant, valid for ever): a v1 cookie matches no v2 MAC. */
const COOKIE_MAC_CONTEXT = 'gong-ingest admin cookie v2:';

export interface AdminAuthOptions {
  /** ADMIN_TOKEN: the Bearer token, and the key of the cookie's HMAC (so rotating it ends every cookie). */
  adminToken: string;
  /**
   * Mark the cookie `Secure` even when the request is plain HTTP: true when TLS ends at a proxy in front and Express
   * does not trust proxy headers. A request that is itself secure always gets `Secure`. @defaultValue false
   */
  secureCookie?: boolean;
  /** The clock, in ms since the epoch; tests pass a fake one. @defaultValue Date.now */
  now?: () => number;
}

/**
 * Guards everything under /admin. Accepted: `Authorization: Bearer <ADMIN_TOKEN>` (API, CLI-like clients), or the
 * cookie that a browser gets by opening any /admin page once with `?token=<ADMIN_TOKEN>`: that answer sets the
 * cookie and redirects to the same URL without the token, so the token leaves the address bar and history. The
 * cookie is `<issuedAtSeconds>.<HMAC(token, issue time)>`, not the token: a copied cookie stops working after
 * ADMIN_COOKIE_MAX_AGE_SECONDS on the server's clock, whatever the browser does with Max-Age, and its issue time
 * cannot be moved without the token. Secrets are compared as sha256 digests with `timingSafeEqual`, so the lengths
 * are equal and the time taken says nothing about the token.
 */
export function adminAuth(options: AdminAuthOptions): RequestHandler {
  const { adminToken, secureCookie = false, now = Date.now } = options;
  const tokenDigest = sha256(adminToken);

  return (req, res, next) => {
    const nowSeconds = Math.floor(now() / 1000);
    const queryToken = req.method === 'GET' ? req.query.token : undefined;
    if (queryToken !== undefined) {
      if (typeof queryToken !== 'string' || !sameDigest(sha256(queryToken), tokenDigest)) return unauthorized(res);
      const secure = req.secure || secureCookie ? '; Secure' : '';
      const value = `${nowSeconds}.${cookieMac(adminToken, nowSeconds)}`;
      res.setHeader('Set-Cookie', `${ADMIN_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${ADMIN_COOKIE_MAX_AGE_SECONDS}${secure}`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      return res.redirect(303, withoutToken(req.originalUrl));
    }
    const bearer = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && sameDigest(sha256(bearer), tokenDigest)) return next();
    const cookie = readCookie(req.headers.cookie, ADMIN_COOKIE);
    if (cookie !== undefined && validCookie(cookie, adminToken, nowSeconds)) return next();
    return unauthorized(res);
  };
}

function cookieMac(adminToken: string, issuedAtSeconds: number): string {
  return createHmac('sha256', adminToken).update(`${COOKIE_MAC_CONTEXT}${issuedAtSeconds}`).digest('base64url');
}

/** The issue time is not secret (it is in the cookie), so its checks may come first and take any time. */
function validCookie(value: string, adminToken: string, nowSeconds: number): boolean {
  const parts = /^(\d{1,12})\.([\w-]+)$/.exec(value);
  if (!parts) return false;
  const issuedAt = Number(parts[1]);
  const age = nowSeconds - issuedAt;
  if (age > ADMIN_COOKIE_MAX_AGE_SECONDS || age < -ADMIN_COOKIE_CLOCK_SKEW_SECONDS) return false;
  return sameDigest(sha256(parts[2]!), sha256(cookieMac(adminToken, issuedAt)));
}

function unauthorized(res: Response): void {
  res.setHeader('WWW-Authenticate', 'Bearer realm="gong-ingest admin"');
  res.status(401).json({ error: 'unauthorized', message: 'Send Authorization: Bearer <ADMIN_TOKEN> (browsers: open the page once with ?token=<ADMIN_TOKEN>)' });
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function sameDigest(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}

/** The same path and query without `token`; always a path on this server (the router only sees /admin paths). */
export function withoutToken(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://admin.invalid');
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
