import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { GongAuth } from '../config/gong-auth.js';
import { webhookSecret as webhookSecretRule } from '../config/config-schema.js';
import type { TenantSettings } from './tenant-settings.js';
import { tenantsFileSchema, type TenantEntry } from './tenants-file-schema.js';

/** The tenants file did not parse or check out: every problem of every tenant, never a secret's value. */
export class TenantsFileError extends Error {
  override readonly name = 'TenantsFileError';
  readonly code = 'TENANTS_FILE_INVALID';
  constructor(readonly problems: string[], options?: { cause?: unknown }) {
    super(`TENANTS_FILE is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}

export interface ResolveContext {
  env: Record<string, string | undefined>;
  /** Reads a secret file; tests pass their own. @defaultValue readFileSync(path, 'utf8') */
  readSecretFile?: (path: string) => string;
  /** Buckets the default tenant (S3_ALLOWED_BUCKETS) holds: a bucket in two tenants is refused. */
  defaultBuckets: readonly string[];
}

/**
 * Parses the tenants file's text (YAML, of which JSON is a subset) and resolves each tenant's secrets. Throws
 * TenantsFileError listing every problem at once, so an operator fixes a file in one go.
 */
export function resolveTenants(text: string, context: ResolveContext): TenantSettings[] {
  const entries = parseTenantEntries(text);
  const problems: string[] = [];
  const owners = new Map<string, string>(context.defaultBuckets.map((b) => [b, 'default']));
  const seen = new Set<string>();
  const tenants = entries.map((entry) => {
    const at = `tenant ${entry.id}`;
    const duplicate = seen.has(entry.id);
    if (duplicate) problems.push(`${at}: the id is used twice`);
    seen.add(entry.id);
    // A second entry of one id is one problem, not also a clash with its own buckets.
    for (const bucket of duplicate ? [] : entry.allowedBuckets) {
      const owner = owners.get(bucket);
      if (owner && owner !== entry.id) problems.push(`${at}: bucket "${bucket}" belongs to tenant ${owner} too (S3 events are routed by bucket)`);
      owners.set(bucket, entry.id);
    }
    const secret = (label: string, envName?: string, file?: string, required = false) => readSecret(at, label, envName, file, required, context, problems);
    const settings = toSettings(entry, secret);
    if (entry.gong.auth.type === 'oauth' && !(context.env.GONG_OAUTH_CLIENT_ID && context.env.TOKEN_ENCRYPTION_KEY)) {
      problems.push(`${at}: gong.auth: type oauth needs Gong OAuth configured (GONG_OAUTH_CLIENT_ID, GONG_OAUTH_CLIENT_SECRET, GONG_OAUTH_REDIRECT_URL, TOKEN_ENCRYPTION_KEY)`);
    }
    if (settings.webhookSecret && !webhookSecretRule.safeParse(settings.webhookSecret).success) problems.push(`${at}: webhookSecret: must be "whsec_" followed by base64 of at least 24 bytes`);
    return settings;
  });
  if (problems.length) throw new TenantsFileError(problems);
  return tenants;
}

/** An OAuth tenant's base URL before its first token names the real one (it is never used for a request). */
const OAUTH_BASE_URL_UNTIL_CONNECTED = 'https://api.gong.io/v2';

/**
 * The file's entries, checked against its schema but with no secret read: what a tool that never talks to Gong or
 * checks a signature needs (the CLI's imports: a tenant's buckets and limits). Throws TenantsFileError.
 */
export function parseTenantEntries(text: string): TenantEntry[] {
  let raw: unknown;
  try {
    raw = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  } catch (error) {
    throw new TenantsFileError([`cannot be parsed as YAML or JSON: ${(error as Error).message.split('\n')[0]}`], { cause: error });
  }
  const parsed = tenantsFileSchema.safeParse(raw);
  if (!parsed.success) throw new TenantsFileError(parsed.error.issues.map((i) => `${describePath(raw, i.path)}: ${i.message}`));
  return parsed.data.tenants;
}

type SecretReader = (label: string, envName?: string, file?: string, required?: boolean) => string | undefined;

function toSettings(entry: TenantEntry, secret: SecretReader): TenantSettings {
  const a = entry.gong.auth;
  const auth: GongAuth =
    a.type === 'oauth'
      ? { kind: 'oauth' }
      : { kind: 'basic', accessKey: secret('gong.auth.accessKey', a.accessKeyEnv, a.accessKeyFile, true) ?? '', accessKeySecret: secret('gong.auth.accessKeySecret', a.accessKeySecretEnv, a.accessKeySecretFile, true) ?? '' };
  const webhookSecret = secret('webhookSecret', entry.webhookSecretEnv, entry.webhookSecretFile, true) ?? '';
  return {
    id: entry.id,
    gong: { baseUrl: (entry.gong.baseUrl ?? OAUTH_BASE_URL_UNTIL_CONNECTED).replace(/\/+$/, ''), auth, ratePerSecond: entry.gong.ratePerSecond, dailyLimit: entry.gong.dailyLimit },
    webhookSecret,
    allowedBuckets: entry.allowedBuckets,
    userMapFile: entry.userMapFile,
    defaultPrimaryUser: entry.defaultPrimaryUser,
    twilio: entry.twilio ? { accountSid: entry.twilio.accountSid, authToken: secret('twilio.authToken', entry.twilio.authTokenEnv, entry.twilio.authTokenFile) } : undefined,
    eventBridgeSecret: entry.eventBridge ? secret('eventBridge.authSecret', entry.eventBridge.authSecretEnv, entry.eventBridge.authSecretFile) : undefined,
  };
}

/** A secret by variable or file name; a problem (naming the variable or file, never a value) when it is missing. */
function readSecret(at: string, label: string, envName: string | undefined, file: string | undefined, required: boolean, context: ResolveContext, problems: string[]): string | undefined {
  if (envName && file) {
    problems.push(`${at}: ${label}: give ${label}Env or ${label}File, not both`);
    return undefined;
  }
  if (envName) {
    const value = context.env[envName];
    if (!value) problems.push(`${at}: ${label}: environment variable ${envName} is not set`);
    return value || undefined;
  }
  if (file) {
    try {
      const value = (context.readSecretFile ?? ((p) => readFileSync(p, 'utf8')))(file).trim();
      if (!value) problems.push(`${at}: ${label}: file ${file} is empty`);
      return value || undefined;
    } catch (error) {
      problems.push(`${at}: ${label}: file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
      return undefined;
    }
  }
  if (required) problems.push(`${at}: ${label}: name the environment variable (${label}Env) or file (${label}File) that holds it`);
  return undefined;
}

/** `tenants.1.gong.ratePerSecond` as `tenant acme: gong.ratePerSecond`, when the entry has a readable id. */
function describePath(raw: unknown, path: PropertyKey[]): string {
  if (path[0] !== 'tenants' || typeof path[1] !== 'number') return path.map(String).join('.') || '(file)';
  const entry = (raw as { tenants?: Array<{ id?: unknown }> }).tenants?.[path[1]];
  const name = typeof entry?.id === 'string' && entry.id.length <= 40 ? `tenant ${JSON.stringify(entry.id)}` : `tenants[${path[1]}]`;
  return [name, path.slice(2).map(String).join('.')].filter(Boolean).join(': ');
}
