/** How requests to one Gong company authenticate: its own file, so the tenants' settings can name it without a cycle. */
export type GongAuth =
  | { kind: 'basic'; accessKey: string; accessKeySecret: string }
  | { kind: 'bearer'; token: string }
  /** Tokens from Gong's OAuth app flow, kept in Redis per tenant (src/oauth/): only TENANTS_FILE tenants. */
  | { kind: 'oauth' }
  | { kind: 'none' };
