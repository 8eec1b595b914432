import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type Answer } from './answers.js';
import { basicHeader } from './auth.js';
import type { ResolvedOptions } from './options.js';

/** Gong's OAuth endpoints (app.gong.io in real life; served on the emulator's own host here). */
export const OAUTH_AUTHORIZE_PATH = '/oauth2/authorize';
export const OAUTH_TOKEN_PATH = '/oauth2/generate-customer-token';

/** One request to the token endpoint, as the emulator answered it. */
export interface TokenGrantRecord {
  grantType: string;
  outcome: 'issued' | 'refused';
  at: number;
}

/** The emulator's side of an OAuth app's connection to this one Gong company. */
export interface EmulatedOAuth {
  /** Every token request so far, in order. */
  readonly grants: TokenGrantRecord[];
  /** Every token pair issued so far, in order (tests check that none of them is stored or logged in the clear). */
  readonly issued: Array<{ accessToken: string; refreshToken: string }>;
  /** Whether `token` is an access token this company issued and that has not expired or been revoked. */
  acceptsAccessToken(token: string): boolean;
  /** The company disconnected the app: every refresh token stops working (the next refresh gets invalid_grant). */
  revokeRefreshTokens(): void;
  /** Access tokens expire now (Gong answers 401 to them); refresh tokens keep working. */
  expireAccessTokens(): void;
  /** Handles /oauth2/* requests; false when the path is not one of them. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const CODE_TTL_MS = 60_000;

/**
 * Gong's OAuth app flow as GONG-FACTS.md describes it: the authorize page (which consents at once here and redirects
 * back with a single-use code), and generate-customer-token for both grants, with the client id and secret as HTTP
 * Basic. Refresh tokens are single use and rotate on every refresh: an old one gets `invalid_grant`, which is how
 * two workers refreshing at once lock a tenant out. The answer names this company's API host
 * (`api_base_url_for_customer`); a token of another company is unknown here, so its API calls get 401.
 */
export function createEmulatedOAuth(options: ResolvedOptions, apiHost: () => string): EmulatedOAuth {
  const codes = new Map<string, { redirectUri: string; scope: string; expiresAt: number }>();
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Map<string, string>();
  const grants: TokenGrantRecord[] = [];
  const issued: Array<{ accessToken: string; refreshToken: string }> = [];
  const token = (kind: string) => `${kind}-${randomBytes(24).toString('base64url')}`;

  function issue(scope: string): Answer {
    const access = token('at');
    const refresh = token('rt');
    accessTokens.set(access, Date.now() + options.oauthAccessTokenTtlSeconds * 1000);
    refreshTokens.set(refresh, scope);
    issued.push({ accessToken: access, refreshToken: refresh });
    return {
      status: 200,
      body: { access_token: access, refresh_token: refresh, scope, token_type: 'bearer', expires_in: options.oauthAccessTokenTtlSeconds, api_base_url_for_customer: apiHost() },
    };
  }

  function refused(status: number, error: string, description: string): Answer {
    return { status, body: { error, error_description: description } };
  }

  function authorize(url: URL): Answer | { redirect: string } {
    const p = url.searchParams;
    if (p.get('client_id') !== options.oauthClientId) return refused(400, 'invalid_client', 'unknown client_id');
    if (p.get('response_type') !== 'code') return refused(400, 'unsupported_response_type', 'response_type must be code');
    const redirectUri = p.get('redirect_uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return refused(400, 'invalid_request', 'redirect_uri is required');
    const code = token('code');
    codes.set(code, { redirectUri, scope: p.get('scope') ?? '', expiresAt: Date.now() + CODE_TTL_MS });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (p.get('state') !== null) target.searchParams.set('state', p.get('state')!);
    return { redirect: target.toString() };
  }

  function exchange(form: URLSearchParams, authorization: string | undefined): Answer {
    if (authorization !== basicHeader({ accessKey: options.oauthClientId, accessKeySecret: options.oauthClientSecret })) {
      return refused(401, 'invalid_client', 'client authentication failed');
    }
    const grantType = form.get('grant_type') ?? '';
    if (grantType === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!code || code.expiresAt < Date.now()) return refused(400, 'invalid_grant', 'authorization code is invalid or used');
      if (code.redirectUri !== form.get('redirect_uri')) return refused(400, 'invalid_grant', 'redirect_uri does not match');
      return issue(code.scope);
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const scope = refreshTokens.get(presented);
      // Single use: the presented token stops working whatever happens next.
      refreshTokens.delete(presented);
      if (scope === undefined) return refused(400, 'invalid_grant', 'refresh token is invalid, used or revoked');
      return issue(scope);
    }
    return refused(400, 'unsupported_grant_type', `grant_type ${grantType || '(none)'} is not supported`);
  }

  return {
    grants,
    issued,
    acceptsAccessToken(presented) {
      const expiresAt = accessTokens.get(presented);
      return expiresAt !== undefined && expiresAt > Date.now();
    },
    revokeRefreshTokens: () => refreshTokens.clear(),
    expireAccessTokens() {
      for (const key of accessTokens.keys()) accessTokens.set(key, 0);
    },
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://emulator.invalid');
      if (req.method === 'GET' && url.pathname === OAUTH_AUTHORIZE_PATH) {
        const answer = authorize(url);
        if ('redirect' in answer) {
          res.writeHead(302, { location: answer.redirect, 'content-length': '0' });
          res.end();
        } else sendJson(res, answer);
        return true;
      }
      if (req.method === 'POST' && url.pathname === OAUTH_TOKEN_PATH) {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const answer = exchange(form, req.headers.authorization);
        grants.push({ grantType: form.get('grant_type') ?? '', outcome: answer.status === 200 ? 'issued' : 'refused', at: Date.now() });
        sendJson(res, answer);
        return true;
      }
      return false;
    },
  };
}
