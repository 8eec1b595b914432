import got from 'got';
import { OAuthEndpointError, OAuthGrantRefusedError } from './oauth-errors.js';

/** What Gong's token endpoint grants, with the expiry made absolute and the API base URL ending in /v2. */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  /** ms since the epoch. */
  expiresAt: number;
  scope: string;
  /** `<api_base_url_for_customer>/v2`: where this tenant's calls go. */
  apiBaseUrl: string;
}

export interface TokenEndpointOptions {
  /** GONG_OAUTH_TOKEN_URL. @defaultValue https://app.gong.io/oauth2/generate-customer-token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Shorter than the refresh lock's lifetime, so a slow answer cannot outlive the lock. @defaultValue 10000 */
  timeoutMs?: number;
}

export interface GongTokenEndpoint {
  exchangeCode(code: string, redirectUri: string): Promise<TokenGrant>;
  refresh(refreshToken: string): Promise<TokenGrant>;
}

interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  api_base_url_for_customer?: unknown;
  error?: unknown;
}

/**
 * Gong's generate-customer-token endpoint: form-encoded grants, the client id and secret as HTTP Basic
 * (GONG-FACTS.md). No retries here: a refresh token is single use, so a retried refresh whose first answer was lost
 * would be refused anyway; the caller decides.
 */
export function createGongTokenEndpoint(options: TokenEndpointOptions): GongTokenEndpoint {
  const authorization = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;

  async function grant(form: Record<string, string>): Promise<TokenGrant> {
    let status: number;
    let body: TokenAnswer;
    try {
      const response = await got.post(options.tokenUrl, {
        form,
        headers: { authorization, accept: 'application/json' },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        timeout: { request: options.timeoutMs ?? 10_000 },
      });
      status = response.statusCode;
      body = parse(response.body);
    } catch (error) {
      // The cause's message only: got's error carries the request options, the client secret among them.
      throw new OAuthEndpointError(`Gong's token endpoint could not be reached: ${(error as Error).message}`);
    }
    if (status === 400 || status === 401 || status === 403) throw new OAuthGrantRefusedError(status, typeof body.error === 'string' ? body.error : 'refused');
    if (status < 200 || status >= 300) throw new OAuthEndpointError(`Gong's token endpoint answered ${status}`);
    return toGrant(body);
  }

  return {
    exchangeCode: (code, redirectUri) => grant({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
    refresh: (refreshToken) => grant({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  };
}

function parse(text: string): TokenAnswer {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as TokenAnswer) : {};
  } catch {
    return {};
  }
}

function toGrant(body: TokenAnswer, now = Date.now()): TokenGrant {
  const { access_token: access, refresh_token: refresh, expires_in: expiresIn, api_base_url_for_customer: host } = body;
  if (typeof access !== 'string' || typeof refresh !== 'string' || typeof host !== 'string' || !/^https?:\/\//.test(host)) {
    throw new OAuthEndpointError("Gong's token answer lacks access_token, refresh_token or api_base_url_for_customer");
  }
  const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 3600;
  return { accessToken: access, refreshToken: refresh, expiresAt: now + seconds * 1000, scope: typeof body.scope === 'string' ? body.scope : '', apiBaseUrl: `${host.replace(/\/+$/, '')}/v2` };
}
