import { z } from 'zod';
import { isGongUserRef } from '../config/parse-user-map.js';
import { TENANT_ID_PATTERN } from './tenant-id.js';

/**
 * The tenants file as written (YAML or JSON). Secrets are never in it: a secret is named by the environment variable
 * (`…Env`) or the file (`…File`, e.g. a mounted Kubernetes Secret) that holds it; resolve-tenants.ts reads them.
 */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const filePath = z.string().min(1).startsWith('/', 'must be an absolute path');

const basicAuth = z
  .object({
    type: z.literal('basic'),
    accessKeyEnv: envName.optional(),
    accessKeyFile: filePath.optional(),
    accessKeySecretEnv: envName.optional(),
    accessKeySecretFile: filePath.optional(),
  })
  .strict();

/** Tokens from Gong's OAuth app flow (GET /oauth/gong/start), kept sealed in Redis: nothing secret in the file. */
const oauthAuth = z.object({ type: z.literal('oauth') }).strict();

const baseUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((u) => /\/v2\/?$/.test(new URL(u).pathname) && !new URL(u).search && !new URL(u).hash, 'must end in /v2, without query or fragment');

export const tenantEntrySchema = z
  .object({
    id: z.string().regex(TENANT_ID_PATTERN, 'must be 1–40 of a-z, 0-9 and single inner hyphens').refine((id) => id !== 'default', '"default" is the implicit tenant of the environment settings'),
    gong: z
      .object({
        // With OAuth the token answer names the tenant's API host (api_base_url_for_customer), which wins.
        baseUrl: baseUrl.optional(),
        auth: z.object({ type: z.string() }).passthrough().pipe(
          z.discriminatedUnion('type', [basicAuth, oauthAuth], { error: (issue) => (issue.code === 'invalid_union' ? 'type must be "basic" or "oauth"' : undefined) }),
        ),
        ratePerSecond: z.number().int().min(1).max(1000).default(3),
        dailyLimit: z.number().int().min(1).default(10_000),
      })
      .strict(),
    webhookSecretEnv: envName.optional(),
    webhookSecretFile: filePath.optional(),
    allowedBuckets: z.array(z.string().min(3).max(63)).min(1, 'name at least one bucket'),
    userMapFile: filePath.optional(),
    defaultPrimaryUser: z.string().refine(isGongUserRef, 'must be a numeric Gong user id or an email').optional(),
    twilio: z.object({ accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC + 32 hex digits').optional(), authTokenEnv: envName.optional(), authTokenFile: filePath.optional() }).strict().optional(),
    eventBridge: z.object({ authSecretEnv: envName.optional(), authSecretFile: filePath.optional() }).strict().optional(),
  })
  .strict()
  .refine((t) => t.gong.auth.type === 'oauth' || t.gong.baseUrl !== undefined, { path: ['gong', 'baseUrl'], message: 'is required with basic auth' });

export const tenantsFileSchema = z.object({ tenants: z.array(tenantEntrySchema).max(2000) }).strict();

export type TenantEntry = z.infer<typeof tenantEntrySchema>;
