import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';

/** A Standard Webhooks secret of its own for each test tenant. */
export function tenantSecret(tenant: string): string {
  return `whsec_${Buffer.from(`secret-of-${tenant}-`.padEnd(32, 'x')).toString('base64')}`;
}

export interface TestTenant {
  id: string;
  gongUrl: string;
  accessKey: string;
  accessKeySecret: string;
  ratePerSecond: number;
  dailyLimit?: number;
  buckets: string[];
  /** 'oauth': no credentials in the file and no base URL (the token names the host); connect it through /oauth/gong. @defaultValue 'basic' */
  auth?: 'basic' | 'oauth';
}

/** Writes a TENANTS_FILE for the tenants and returns it with the environment its secrets are named in. */
export function writeTenantsFile(tenants: TestTenant[], dir = mkdtempSync(join(tmpdir(), 'tenants-'))): { file: string; env: Record<string, string>; dir: string } {
  const env: Record<string, string> = {};
  const entries = tenants.map((t) => {
    const name = t.id.toUpperCase().replace(/-/g, '_');
    env[`${name}_GONG_KEY`] = t.accessKey;
    env[`${name}_GONG_SECRET`] = t.accessKeySecret;
    env[`${name}_WEBHOOK_SECRET`] = tenantSecret(t.id);
    const gong =
      t.auth === 'oauth'
        ? { auth: { type: 'oauth' }, ratePerSecond: t.ratePerSecond, dailyLimit: t.dailyLimit ?? 10_000 }
        : { baseUrl: t.gongUrl, auth: { type: 'basic', accessKeyEnv: `${name}_GONG_KEY`, accessKeySecretEnv: `${name}_GONG_SECRET` }, ratePerSecond: t.ratePerSecond, dailyLimit: t.dailyLimit ?? 10_000 };
    return {
      id: t.id,
      gong,
      webhookSecretEnv: `${name}_WEBHOOK_SECRET`,
      allowedBuckets: t.buckets,
    };
  });
  const file = join(dir, 'tenants.yaml');
  writeFileSync(file, yaml.dump({ tenants: entries }));
  return { file, env, dir };
}
