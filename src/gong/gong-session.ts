import type { Got } from 'got';
import type { GongAuth } from '../config/gong-auth.js';

/** What a Gong request is sent with when the tenant connected through OAuth (the base URL comes with the token). */
export interface GongCredentials {
  authorization: string;
  /** Ends in /v2: the tenant's own API host. */
  baseUrl: string;
}

/** Where the Gong client gets an OAuth tenant's credentials (src/oauth/tenant-session.ts). */
export interface GongSession {
  /** Throws when the tenant has no usable connection; the client sends nothing then. */
  credentials(): Promise<GongCredentials>;
  /** Gong answered 401 to these credentials: the next credentials() gets new ones rather than trusting the expiry. */
  rejected(credentials: GongCredentials): void;
}

/** The got instance a request goes out with, and the credentials it carries when they came from a session. */
export interface GongSender {
  client: Got;
  credentials?: GongCredentials;
}

/**
 * The client's one instance for fixed credentials, or for an OAuth tenant that instance with the session's current
 * token and API host on top (asked per request: the token refreshes, and the host comes with it).
 */
export function senderOf(http: Got, session?: GongSession): () => Promise<GongSender> {
  if (!session) return async () => ({ client: http });
  return async () => {
    const credentials = await session.credentials();
    return { client: http.extend({ prefixUrl: `${credentials.baseUrl.replace(/\/+$/, '')}/`, headers: { authorization: credentials.authorization } }), credentials };
  };
}

/** The Authorization header of fixed credentials; none for OAuth (per request, above) or without credentials. */
export function authHeaders(auth: GongAuth): Record<string, string> {
  switch (auth.kind) {
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.accessKey}:${auth.accessKeySecret}`).toString('base64')}` };
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'none':
    case 'oauth':
      return {};
  }
}
