import type { Config } from '../config/load-config.js';
import type { TenantSettings } from './tenant-settings.js';

/**
 * The service's settings as one tenant sees them: its Gong company, rate and budget, webhook secret, buckets, user
 * map and Twilio account, over the deployment's shared settings (Redis, timeouts, S3 endpoint, SNS topics). The
 * sources build their handlers from this exactly as they do from the environment's Config, so every source works
 * per tenant without knowing tenants exist.
 */
export function tenantConfig(base: Config, tenant: TenantSettings): Config {
  return {
    ...base,
    gong: { ...base.gong, baseUrl: tenant.gong.baseUrl, auth: tenant.gong.auth },
    traffic: { ...base.traffic, perSecond: tenant.gong.ratePerSecond, dailyLimit: tenant.gong.dailyLimit },
    s3: { ...base.s3, allowedBuckets: tenant.allowedBuckets },
    webhook: { ...base.webhook, secret: tenant.webhookSecret },
    sources: {
      ...base.sources,
      // Only the tenant's own Twilio account: never the environment's, which belongs to the default tenant.
      twilio: { apiBaseUrl: base.sources.twilio.apiBaseUrl, accountSid: tenant.twilio?.accountSid, authToken: tenant.twilio?.authToken, apiKeySid: undefined, apiKeySecret: undefined },
      userMapFile: tenant.userMapFile,
      defaultPrimaryUser: tenant.defaultPrimaryUser,
      eventBridge: { ...base.sources.eventBridge, authSecret: tenant.eventBridgeSecret },
    },
  };
}
