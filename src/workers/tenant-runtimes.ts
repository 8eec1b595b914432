import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/load-config.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { tenantConfig } from '../tenants/tenant-config.js';
import { tenantPace } from '../tenants/tenant-pace.js';
import type { TenantDirectory } from '../tenants/tenants-file.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import { createTenantPacing } from '../traffic/tenant-pacing.js';
import { createGongScope, type GongScope } from './gong-scope.js';
import type { TenantScopes } from './process-call-job.js';
import type { WorkerExtensions } from './worker-extensions.js';
import type { OAuthRuntime } from '../oauth/oauth-runtime.js';
import type { GongTraffic } from '../traffic/gong-traffic.js';


export interface TenantRuntimesOptions {
  config: Config;
  redis: RedisClient;
  s3Client: S3Client;
  metrics: Metrics;
  tenants: TenantDirectory;
  /** A tenant's limiter for its settings, built once per process (tenant-budgets: the one /metrics and the admin API read). */
  trafficFor: (settings: TenantSettings) => GongTraffic;
  /** Gong OAuth, when configured (OAuth tenants' sessions). */
  oauth?: OAuthRuntime;
  /** The sources' worker additions (Twilio reader, user map…) built from a tenant's own settings. */
  extensionsFor: (config: Config) => Promise<WorkerExtensions & { close?(): void }>;
}

/**
 * One Gong scope per tenant, made when its first job comes and made again when TENANTS_FILE changes the tenant (its
 * settings object is new after a reload), so credentials, limits and buckets follow the file without a restart.
 */
export function createTenantRuntimes(options: TenantRuntimesOptions): TenantScopes & { close(): void } {
  const scopes = new Map<string, { settings: TenantSettings; scope: Promise<GongScope>; extensions: Promise<{ close?(): void }> }>();
  const pacing = createTenantPacing({ redis: options.redis, prefix: options.config.redis.prefix });

  function scopeOf(settings: TenantSettings): Promise<GongScope> {
    const cached = scopes.get(settings.id);
    if (cached?.settings === settings) return cached.scope;
    // The tenant changed (or is new): the old scope's file watchers (its user map) stop.
    void cached?.extensions.then((old) => old.close?.(), () => undefined);
    const config = tenantConfig(options.config, settings);
    const extensions = options.extensionsFor(config);
    const scope = extensions.then((extensions) =>
      createGongScope({ config, tenant: settings.id, redis: options.redis, s3Client: options.s3Client, metrics: options.metrics, extensions, oauth: options.oauth, traffic: options.trafficFor(settings) }),
    );
    // A failed build is not kept: the next job of the tenant tries again.
    scope.catch(() => scopes.delete(settings.id));
    scopes.set(settings.id, { settings, scope, extensions });
    return scope;
  }

  return {
    async get(tenant) {
      const settings = options.tenants.get(tenant);
      return settings ? (await scopeOf(settings)).deps : undefined;
    },
    async reserveSlot(tenant) {
      return pacing.reserve(tenant, tenantPace(options.config, options.tenants, tenant));
    },
    /** At shutdown: every tenant's file watchers (its user map) stop. */
    close() {
      for (const { extensions } of scopes.values()) void extensions.then((made) => made.close?.(), () => undefined);
      scopes.clear();
    },
  };
}
