import { Router, type RequestHandler, type Response } from 'express';
import type { Logger } from '../logging/logger.js';
import type { FieldProblem } from '../validation/field-problems.js';
import { OAuthEndpointError, OAuthGrantRefusedError } from './oauth-errors.js';
import type { OAuthRuntime } from './oauth-runtime.js';
import { OAUTH_STATE_TTL_MS, OAuthStateError, signState, verifyState } from './oauth-state.js';

export interface OAuthRoutesOptions {
  oauth: OAuthRuntime;
  /** Whether a tenant of TENANTS_FILE connects through OAuth (read live: the file reloads). */
  isOAuthTenant(tenant: string): boolean;
  /** The admin token's check, in front of /start only: the callback comes from Gong through the operator's browser. */
  adminGuard: RequestHandler;
  logger: Logger;
}

/**
 * `/oauth/gong/start?tenant=<id>` (admin token): a 302 to Gong's authorize page with a signed, single-use `state`;
 * the JSON body has the same URL for API clients. `/oauth/gong/callback`: Gong's redirect back with a code; the
 * state names the tenant, the code becomes tokens, sealed into Redis. Errors are JSON naming the field.
 */
export function createOAuthRouter(options: OAuthRoutesOptions): Router {
  const { oauth, logger } = options;
  const router = Router();
  router.use((_req, res, next) => {
    // Codes and states are in these URLs: no cache keeps them, no Referer carries them on.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  router.get('/start', options.adminGuard, (req, res) => {
    const tenant = req.query.tenant;
    if (typeof tenant !== 'string' || tenant === '') return problem(res, 400, 'tenant', 'is required: the id of a TENANTS_FILE tenant with auth type oauth');
    if (!options.isOAuthTenant(tenant)) return problem(res, 404, 'tenant', `no tenant ${tenant} connects through OAuth (gong.auth.type: oauth in TENANTS_FILE)`);
    const { state } = signState(tenant, oauth.stateKey);
    const url = new URL(oauth.settings.authorizeUrl);
    url.searchParams.set('client_id', oauth.settings.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', oauth.settings.scopes);
    url.searchParams.set('redirect_uri', oauth.settings.redirectUrl);
    url.searchParams.set('state', state);
    res.status(302).location(url.toString()).json({ tenant, authorizeUrl: url.toString() });
  });

  router.get('/callback', async (req, res, next) => {
    try {
      const { code, state, error } = req.query;
      if (typeof error === 'string') return problem(res, 400, 'error', `Gong did not authorize the connection: ${error.slice(0, 200)}`);
      if (typeof state !== 'string' || state === '') return problem(res, 400, 'state', 'is required');
      if (typeof code !== 'string' || code === '') return problem(res, 400, 'code', 'is required');
      let tenant: string;
      let nonce: string;
      try {
        ({ tenant, nonce } = verifyState(state, oauth.stateKey));
      } catch (failure) {
        if (failure instanceof OAuthStateError) return problem(res, 400, 'state', failure.message);
        throw failure;
      }
      if (!(await oauth.store.claimNonce(nonce, OAUTH_STATE_TTL_MS))) return problem(res, 400, 'state', 'has been used already: start the connection again');
      if (!options.isOAuthTenant(tenant)) return problem(res, 404, 'tenant', `tenant ${tenant} no longer connects through OAuth`);
      const grant = await oauth.endpoint.exchangeCode(code, oauth.settings.redirectUrl);
      await oauth.store.save(tenant, grant);
      const apiHost = new URL(grant.apiBaseUrl).host;
      logger.info({ tenant, apiHost, scope: grant.scope }, 'tenant connected to Gong through OAuth');
      res.json({ tenant, connected: true, apiHost, scope: grant.scope });
    } catch (failure) {
      if (failure instanceof OAuthGrantRefusedError) return problem(res, 400, 'code', `Gong refused the code (${failure.error}): start the connection again`);
      if (failure instanceof OAuthEndpointError) return problem(res, 502, 'code', `${failure.message}; start the connection again`);
      next(failure);
    }
  });
  return router;
}

/** The service's error shape: a code, a message, and the field at fault (FieldProblem). */
function problem(res: Response, status: number, field: string, message: string): void {
  const fields: FieldProblem[] = [{ field, problem: message }];
  res.status(status).json({ error: status === 404 ? 'not_found' : status === 502 ? 'gong_unavailable' : 'invalid_request', message: `${field} ${message}`, fields });
}
