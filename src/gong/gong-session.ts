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
