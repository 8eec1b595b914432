import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ADMIN_COOKIE, ADMIN_COOKIE_CLOCK_SKEW_SECONDS, ADMIN_COOKIE_MAX_AGE_SECONDS, adminAuth, type AdminAuthOptions } from '../../src/admin/admin-auth.js';

/**
 * adminAuth in a small Express app on a loopback port, with a fake clock: the cookie a browser gets from ?token=
 * works until it is ADMIN_COOKIE_MAX_AGE_SECONDS old on the server's clock, whatever the browser does with Max-Age.
 */
describe('admin auth', () => {
  const TOKEN = 'admin-token-for-unit-tests-0123456789';
  const START = Date.parse('2026-11-20T09:00:00Z');
  let clock = START;
  const servers: Server[] = [];

  afterEach(() => {
    clock = START;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  /** /admin/jobs behind adminAuth; `trustProxy` makes X-Forwarded-Proto count, as behind a proxy Express trusts. */
  async function serve(options: Partial<AdminAuthOptions> & { trustProxy?: boolean } = {}): Promise<string> {
    const { trustProxy, ...auth } = options;
    const app = express();
    if (trustProxy) app.set('trust proxy', true);
    app.use('/admin', adminAuth({ adminToken: TOKEN, now: () => clock, ...auth }));
    app.get('/admin/jobs', (_req, res) => {
      res.json({ ok: true });
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, redirect: 'manual' });

  /** Opens /admin/jobs?token= as a browser does the first time; returns the Set-Cookie line. */
  async function login(base: string, headers: Record<string, string> = {}): Promise<string> {
    const res = await get(`${base}/admin/jobs?token=${TOKEN}&state=failed`, headers);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/jobs?state=failed');
    const [setCookie] = res.headers.getSetCookie();
    expect(setCookie).toBeDefined();
    return setCookie!;
  }
  const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;
  const withCookie = (base: string, cookie: string) => get(`${base}/admin/jobs`, { cookie });

  it('When ?token= is right, then the cookie carries its issue time and an HMAC, not the token, with HttpOnly, SameSite=Strict, Path=/admin and Max-Age', async () => {
    const base = await serve();
    const setCookie = await login(base);
    const value = cookieOf(setCookie).slice(`${ADMIN_COOKIE}=`.length);
    expect(value).toMatch(new RegExp(`^${Math.floor(START / 1000)}\\.[A-Za-z0-9_-]{43}$`));
    expect(setCookie).not.toContain(TOKEN);
    for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/admin', `Max-Age=${ADMIN_COOKIE_MAX_AGE_SECONDS}`]) expect(setCookie).toContain(`; ${attribute}`);
    expect(setCookie).not.toMatch(/; Secure/);
    expect((await withCookie(base, cookieOf(setCookie))).status).toBe(200);
  });

  it('When the cookie is older than ADMIN_COOKIE_MAX_AGE_SECONDS on the server clock, then it is refused with 401', async () => {
    const base = await serve();
    const cookie = cookieOf(await login(base));
    clock = START + ADMIN_COOKIE_MAX_AGE_SECONDS * 1000;
    expect((await withCookie(base, cookie)).status).toBe(200);
    clock = START + (ADMIN_COOKIE_MAX_AGE_SECONDS + 1) * 1000;
    const expired = await withCookie(base, cookie);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'unauthorized' });
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('When the cookie says it was issued in the future, then a small clock skew is allowed and more is refused', async () => {
    const base = await serve();
    const cookie = cookieOf(await login(base));
    clock = START - ADMIN_COOKIE_CLOCK_SKEW_SECONDS * 1000;
    expect((await withCookie(base, cookie)).status).toBe(200);
    clock = START - (ADMIN_COOKIE_CLOCK_SKEW_SECONDS + 1) * 1000;
    expect((await withCookie(base, cookie)).status).toBe(401);
  });

  it('When the cookie is tampered with, then it is refused: a later issue time, another HMAC, a cookie of another token, the old v1 form', async () => {
    const base = await serve();
    const cookie = cookieOf(await login(base));
    const [issuedAt, mac] = cookie.slice(`${ADMIN_COOKIE}=`.length).split('.') as [string, string];
    clock = START + (ADMIN_COOKIE_MAX_AGE_SECONDS + 10) * 1000;
    const v1 = createHmac('sha256', TOKEN).update('gong-ingest admin cookie v1').digest('base64url');
    const otherToken = createHmac('sha256', `${TOKEN}x`).update(`gong-ingest admin cookie v2:${Number(issuedAt) + 60}`).digest('base64url');
    const forged = [
      `${Number(issuedAt) + ADMIN_COOKIE_MAX_AGE_SECONDS}.${mac}`, // pushing the issue time forward to live longer
      `${Number(issuedAt) + 60}.${otherToken}`,
      `${Number(issuedAt) + 60}.${mac.slice(0, -2)}xx`,
      v1,
      `${Number(issuedAt) + 60}.`,
      `x.${mac}`,
      '',
    ];
    for (const value of forged) expect({ value, status: (await withCookie(base, `${ADMIN_COOKIE}=${value}`)).status }).toEqual({ value, status: 401 });
  });

  it('When secureCookie is set, or the request itself is secure, then the cookie is Secure', async () => {
    expect(await login(await serve({ secureCookie: true }))).toMatch(/; Secure(;|$)/);
    expect(await login(await serve({ trustProxy: true }), { 'x-forwarded-proto': 'https' })).toMatch(/; Secure(;|$)/);
    expect(await login(await serve({ secureCookie: false }))).not.toMatch(/; Secure/);
  });

  it('When a Bearer token is sent, then it works without a cookie; a wrong ?token= gets 401 and no cookie', async () => {
    const base = await serve();
    expect((await get(`${base}/admin/jobs`, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await get(`${base}/admin/jobs`, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await get(`${base}/admin/jobs`)).status).toBe(401);
    const wrong = await get(`${base}/admin/jobs?token=${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });
});
