import type { GongAuth } from '../config/gong-auth.js';

/**
 * One Gong company served by this deployment, with its secrets resolved (from the environment variables or files
 * the tenants file names). Never logged, never put in job data: only `id` travels.
 */
export interface TenantSettings {
  id: string;
  gong: {
    /** Ends in /v2, like GONG_BASE_URL. */
    baseUrl: string;
    /** Basic with the tenant's key pair (Gong's OAuth connection is not built yet: docs/multi-tenant.md). */
    auth: GongAuth;
    /** Requests in any sliding second for this company. @defaultValue 3 */
    ratePerSecond: number;
    /** Requests per day for this company. @defaultValue 10000 */
    dailyLimit: number;
  };
  /** Standard Webhooks secret of /t/<id>/webhooks/generic. */
  webhookSecret: string;
  /** Buckets this tenant's recordings may come from; S3 events are routed to a tenant by bucket. */
  allowedBuckets: string[];
  userMapFile?: string;
  defaultPrimaryUser?: string;
  twilio?: { accountSid?: string; authToken?: string };
  /** The EventBridge API destination's key for /t/<id>/webhooks/s3-events. */
  eventBridgeSecret?: string;
}

/** The tenants a deployment serves: the implicit default one (today's settings) first, then the file's. */
export interface TenantSet {
  /** Path of TENANTS_FILE; undefined when there is none (single-company). */
  file?: string;
  tenants: TenantSettings[];
  /**
   * The environment the tenants' secrets are read from when the file changes (a tenant added later names its
   * variables then). Config is never logged; this holds secrets like the rest of it.
   */
  environment: Record<string, string>;
  /** S3_ALLOWED_BUCKETS: the default tenant's buckets, which no other tenant may name. */
  defaultBuckets: string[];
}
