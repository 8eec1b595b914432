import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

/** The cookie a browser gets for Bull Board; scoped to /admin, unreadable by scripts, never sent cross-site. */
export const ADMIN_COOKIE = 'gong_ingest_admin';
/** How long the board cookie lasts: a working day. @defaultValue 43200 */
export const ADMIN_COOKIE_MAX_AGE_SECONDS = 12 * 3600;

/**
 * Guards everything under /admin. Accepted: `Authorization: Bearer <ADMIN_TOKEN>` (API, CLI-like clients), or the
 * cookie that a browser gets by opening any /admin page once with `?token=<ADMIN_TOKEN>`: that answer sets the
 * cookie and redirects to the same URL without the token, so the token leaves the address bar and history. The
 * cookie holds an HMAC derived from the token, not the token itself. Every comparison hashes both sides to
 * sha256 first, so `timingSafeEqual` compares equal lengths and the time taken says nothing about the token.
 */
export function adminAuth(adminToken: string): RequestHandler {
  const tokenDigest = sha256(adminToken);
  const cookieValue = createHmac('sha256', adminToken).update('gong-ingest admin cookie v1').digest('base64url');
  const cookieDigest = sha256(cookieValue);

  return (req, res, next) => {
    const queryToken = req.method === 'GET' ? req.query.token : undefined;
    if (queryToken !== undefined) {
      if (typeof queryToken !== 'string' || !sameDigest(sha256(queryToken), tokenDigest)) return unauthorized(res);
      const secure = req.secure ? '; Secure' : '';
      res.setHeader('Set-Cookie', `${ADMIN_COOKIE}=${cookieValue}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${ADMIN_COOKIE_MAX_AGE_SECONDS}${secure}`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      return res.redirect(303, withoutToken(req.originalUrl));
    }
    const bearer = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && sameDigest(sha256(bearer), tokenDigest)) return next();
    const cookie = readCookie(req.headers.cookie, ADMIN_COOKIE);
    if (cookie !== undefined && sameDigest(sha256(cookie), cookieDigest)) return next();
    return unauthorized(res);
  };
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
