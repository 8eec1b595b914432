import type { CallJobData } from '../queue/call-job.js';
import type { SourceDefinition } from '../sources/source-definition.js';
import { DEFAULT_TENANT } from '../tenants/tenant-id.js';
import type { TenantDirectory } from '../tenants/tenants-file.js';

/**
 * The shared S3 events route (`/webhooks/s3-events`) with TENANTS_FILE: one SNS topic or EventBridge rule may carry
 * every tenant's buckets, so the route accepts any tenant's bucket and gives each call to the tenant whose
 * `allowedBuckets` holds it (start-up refuses a bucket in two tenants). The handler is rebuilt after a reload, so a
 * bucket added to the file is taken without a restart.
 */
export function bucketRoutedSource(source: SourceDefinition, tenants: TenantDirectory, defaultBuckets: readonly string[]): SourceDefinition {
  return {
    ...source,
    create(context) {
      let version = 0;
      tenants.onChange(() => void version++);
      const build = () => {
        const owners = new Map<string, string>(defaultBuckets.map((b) => [b, DEFAULT_TENANT]));
        for (const t of tenants.list()) for (const b of t.allowedBuckets) owners.set(b, t.id);
        const enqueue = (data: CallJobData) => {
          const owner = data.recording.kind === 's3' ? owners.get(data.recording.bucket) : undefined;
          return context.enqueue(owner && owner !== DEFAULT_TENANT ? { ...data, tenant: owner } : data);
        };
        return source.create({ ...context, enqueue, config: { ...context.config, allowedBuckets: [...owners.keys()] } });
      };
      let built = { version, handle: build() };
      if (!built.handle) return undefined;
      return (req) => {
        tenants.list(); // notices an edit of the file (and bumps the version) before the request is handled
        if (built.version !== version) built = { version, handle: build() };
        return built.handle!(req);
      };
    },
  };
}
