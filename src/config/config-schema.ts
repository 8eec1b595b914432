import { z } from 'zod';
import { isGongUserRef } from './parse-user-map.js';
import { parseTokenKey } from './token-key.js';

/**
 * Every setting the service reads, with its default. This schema is the only place that knows about
 * process.env names; the rest of the code receives the typed {@link Config}.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const commaList = z
  .string({ error: 'is required' })
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

const httpUrl = z.url({ protocol: /^https?$/ });

// Loose on purpose: AWS adds region shapes (eusc-de-east-1), and S3-compatible stores have their own ('auto').
const awsRegion = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a region name such as us-east-1');

/**
 * Gong's request paths (`/calls`, `/calls/{id}/media`) are appended to the base URL, and Gong hands out tenant URLs
 * without `/v2`: such a base would pass here and fail every job with a 404 that looks permanent.
 */
const gongBaseUrl = httpUrl.refine(
  (v) => urlParts(v, (u) => !u.search && !u.hash && trimmedPath(u).endsWith('/v2')),
  'must end in /v2, e.g. https://us-12345.api.gong.io/v2 (request paths such as /calls are relative to it), without a query or fragment',
);

/**
 * The service appends the path it was called on (`/webhooks/twilio?…`) to this URL to check Twilio's signature,
 * so the full webhook URL pasted here, or a query or fragment, would make every signature fail with 403.
 */
const publicBaseUrl = httpUrl.refine(
  (v) => urlParts(v, (u) => !u.search && !u.hash && !/\/webhooks(\/[^/]*)?$/.test(trimmedPath(u))),
  'must be the base URL only, e.g. https://ingest.example.com (plus a proxy path prefix if any): no /webhooks/… path, query or fragment',
);

/** 32 bytes (base64 or hex): the AES-256-GCM key that seals the tenants' Gong tokens in Redis. */
const tokenKey = z
  .string()
  .refine((v) => parseTokenKey(v) !== undefined, 'must be 32 random bytes as base64 (44 characters: openssl rand -base64 32) or hex (64)')
  .transform((v) => parseTokenKey(v)!);

/** Only these reach Gong as a user: an id as is, an email through /v2/users. Anything else fails every such call. */
const gongUserRef = z.string().trim().refine(isGongUserRef, 'must be a numeric Gong user id or an email address');

/**
 * `host:port,host:port` for Sentinel and Cluster seeds; an IPv6 address in brackets (`[::1]:26379`), as the chart's
 * values schema allows too (test/deploy/chart-settings.test.ts keeps the two rules equal). ioredis takes the address
 * without its brackets.
 */
export const HOST_PORT = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):\d{1,5}$/;
const hostPortList = commaList.pipe(
  z
    .array(z.string().regex(HOST_PORT, 'each entry must be host:port (an IPv6 address in brackets)'))
    .min(1, 'must name at least one host:port')
    .transform((entries) =>
      entries.map((e) => ({ host: e.slice(0, e.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1'), port: Number(e.slice(e.lastIndexOf(':') + 1)) })),
    ),
);

/** Standard Webhooks secrets are `whsec_` followed by base64 of at least 24 random bytes. */
export const webhookSecret = z
  .string({ error: 'is required (whsec_ followed by base64 of at least 24 random bytes)' })
  .refine(
    (v) => /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v.slice(6), 'base64').length >= 24,
    'must be "whsec_" followed by base64 of at least 24 bytes',
  );

export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    ROLE: z.enum(['all', 'api', 'worker']).default('all'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    REDIS_MODE: z.enum(['standalone', 'sentinel', 'cluster']).default('standalone'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    REDIS_SENTINELS: hostPortList.optional(),
    REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
    REDIS_CLUSTER_NODES: hostPortList.optional(),
    REDIS_TLS: bool.default(false),
    REDIS_TLS_CA_FILE: z.string().min(1).optional(),
    REDIS_TLS_CERT_FILE: z.string().min(1).optional(),
    REDIS_TLS_KEY_FILE: z.string().min(1).optional(),
    REDIS_SENTINEL_TLS: bool.default(false),
    // Below the producer's 5 s guard, so a wait that times out is still answered 503 rather than cut off.
    REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
    REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(4_000).default(1_000),
    REDIS_USERNAME: z.string().min(1).optional(),
    REDIS_PASSWORD: z.string().min(1).optional(),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_{}.-]+$/, 'may hold letters, digits, "_", "-", "." and a {hash tag}')
      .default('gong-ingest'),
    WORKER_CONCURRENCY: positiveInt(4),
    WORKER_LOCK_DURATION_MS: positiveInt(60_000),
    WORKER_SHUTDOWN_GRACE_MS: positiveInt(120_000),
    // Webhook requests are short; the API pod's terminationGracePeriodSeconds is 30 s.
    API_SHUTDOWN_GRACE_MS: positiveInt(20_000),
    JOB_ATTEMPTS: positiveInt(8),
    JOB_BACKOFF_MS: positiveInt(5_000),
    KEEP_COMPLETED_JOBS_SECONDS: positiveInt(7 * 24 * 3600),
    KEEP_FAILED_JOBS_SECONDS: positiveInt(30 * 24 * 3600),
    GONG_BASE_URL: gongBaseUrl.default('https://api.gong.io/v2'),
    GONG_ACCESS_KEY: z.string().min(1).optional(),
    GONG_ACCESS_KEY_SECRET: z.string().min(1).optional(),
    GONG_BEARER_TOKEN: z.string().min(1).optional(),
    GONG_REQUEST_TIMEOUT_MS: positiveInt(30_000),
    GONG_UPLOAD_TIMEOUT_MS: positiveInt(30 * 60_000),
    GONG_RATE_LIMIT_PER_SECOND: positiveInt(3),
    GONG_DAILY_LIMIT: positiveInt(10_000),
    GONG_DAILY_WINDOW_SECONDS: positiveInt(86_400),
    GONG_RATE_WINDOW_MARGIN_MS: z.coerce.number().int().min(0).max(1_000).default(50),
    GONG_MAX_RATE_LIMITED_WAITS: positiveInt(20),
    // A share, not a count: it follows GONG_DAILY_LIMIT when that changes.
    IMPORT_DAILY_SHARE: z.coerce.number().gt(0, 'must be more than 0').max(1, 'must be at most 1').default(0.5),
    GONG_USER_CACHE_TTL_SECONDS: positiveInt(3_600),
    MEDIA_MODE: z.enum(['push', 'pull']).default('push'),
    PULL_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(6 * 3600),
    S3_ENDPOINT: httpUrl.optional(),
    // Read here rather than left to the SDK so that a typo stops the start-up instead of failing every S3 read.
    AWS_REGION: awsRegion.optional(),
    AWS_DEFAULT_REGION: awsRegion.optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    S3_ALLOWED_BUCKETS: commaList.pipe(z.array(z.string()).min(1, 'must name at least one bucket')),
    WEBHOOK_SECRET: webhookSecret,
    WEBHOOK_TOLERANCE_SECONDS: positiveInt(300),
    ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
    PUBLIC_BASE_URL: publicBaseUrl.optional(),
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits').optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    TWILIO_API_KEY_SID: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'must look like SK followed by 32 hex digits').optional(),
    TWILIO_API_KEY_SECRET: z.string().min(1).optional(),
    TWILIO_API_BASE_URL: httpUrl.default('https://api.twilio.com'),
    USER_MAP_FILE: z.string().min(1).optional(),
    TENANTS_FILE: z.string().min(1).optional(),
    GONG_DEFAULT_PRIMARY_USER: gongUserRef.optional(),
    // Compiled anchored where it is used (sns-urls.ts); compiling on its own here means its groups are balanced,
    // so the pattern cannot close the anchoring group early (`a)|(b`).
    SNS_CERT_HOST_PATTERN: z
      .string()
      .refine((v) => isRegExp(v), 'must be a regular expression')
      .default('^sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$'),
    SNS_TOPIC_ARNS: commaList.optional(),
    EVENTBRIDGE_AUTH_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name').default('x-gong-ingest-key'),
    EVENTBRIDGE_AUTH_SECRET: z.string().min(24, 'must be at least 24 characters').optional(),
    CONNECT_INSTANCE_ID: z.string().min(1).optional(),
    CONNECT_ENDPOINT: httpUrl.optional(),
    // Gong's OAuth app flow, for TENANTS_FILE tenants with `auth: { type: oauth }` (src/oauth/, docs/multi-tenant.md).
    GONG_OAUTH_CLIENT_ID: z.string().min(1).optional(),
    GONG_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
    GONG_OAUTH_REDIRECT_URL: httpUrl
      .refine((v) => urlParts(v, (u) => trimmedPath(u).endsWith('/oauth/gong/callback') && !u.search && !u.hash), 'must be this service\'s public /oauth/gong/callback URL, e.g. https://ingest.example.com/oauth/gong/callback')
      .optional(),
    GONG_OAUTH_AUTHORIZE_URL: httpUrl.default('https://app.gong.io/oauth2/authorize'),
    GONG_OAUTH_TOKEN_URL: httpUrl.default('https://app.gong.io/oauth2/generate-customer-token'),
    GONG_OAUTH_SCOPES: z.string().trim().min(1).default('api:calls:create api:users:read'),
    TOKEN_ENCRYPTION_KEY: tokenKey.optional(),
    TOKEN_ENCRYPTION_KEY_PREVIOUS: tokenKey.optional(),
  });

/**
 * Rules that span several variables. They run on the raw environment, next to the schema, so that one start-up
 * reports every problem at once (a schema refinement would only run once all fields were valid).
 */
export function crossFieldProblems(env: Record<string, string | undefined>): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const key = env.GONG_ACCESS_KEY;
  const keySecret = env.GONG_ACCESS_KEY_SECRET;
  const basic = key !== undefined || keySecret !== undefined;
  if (basic && (key === undefined || keySecret === undefined)) {
    problems.push({ path: key === undefined ? 'GONG_ACCESS_KEY' : 'GONG_ACCESS_KEY_SECRET', message: 'GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET go together' });
  }
  if (basic && env.GONG_BEARER_TOKEN !== undefined) {
    problems.push({ path: 'GONG_BEARER_TOKEN', message: 'set either the access key pair or a bearer token, not both' });
  }
  if (!basic && env.GONG_BEARER_TOKEN === undefined && env.ROLE !== 'api') {
    problems.push({
      path: 'GONG_ACCESS_KEY',
      message: 'workers need Gong credentials: GONG_ACCESS_KEY + GONG_ACCESS_KEY_SECRET, or GONG_BEARER_TOKEN',
    });
  }
  if ((env.TWILIO_API_KEY_SID === undefined) !== (env.TWILIO_API_KEY_SECRET === undefined)) {
    problems.push({ path: 'TWILIO_API_KEY_SID', message: 'TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together' });
  }
  const oauthParts = ['GONG_OAUTH_CLIENT_ID', 'GONG_OAUTH_CLIENT_SECRET', 'GONG_OAUTH_REDIRECT_URL', 'TOKEN_ENCRYPTION_KEY'] as const;
  if (oauthParts.some((name) => env[name] !== undefined)) {
    for (const name of oauthParts.filter((n) => env[n] === undefined)) {
      problems.push({ path: name, message: `is required for Gong OAuth (${oauthParts.join(', ')} go together)` });
    }
    if (env.ADMIN_TOKEN === undefined && env.ROLE !== 'worker') problems.push({ path: 'ADMIN_TOKEN', message: 'is required for Gong OAuth: GET /oauth/gong/start takes the admin token' });
  }
  if (env.TOKEN_ENCRYPTION_KEY_PREVIOUS !== undefined && env.TOKEN_ENCRYPTION_KEY === undefined) {
    problems.push({ path: 'TOKEN_ENCRYPTION_KEY', message: 'is required with TOKEN_ENCRYPTION_KEY_PREVIOUS (the new key seals, the previous one only opens)' });
  }
  if (env.TWILIO_AUTH_TOKEN && !env.PUBLIC_BASE_URL) {
    problems.push({ path: 'PUBLIC_BASE_URL', message: 'is required with TWILIO_AUTH_TOKEN: Twilio signs the public URL it calls' });
  }
  return problems;
}

export type Env = z.infer<typeof envSchema>;

/**
 * A setting's default, read from the schema itself, for code that needs it outside a loaded Config (pure logic
 * called without settings, e.g. in tests): the default stays written once, in the schema above.
 */
export function settingDefault<K extends keyof Env>(name: K): Env[K] {
  const parsed = (envSchema.shape[name] as unknown as z.ZodType<Env[K]>).safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) throw new Error(`${String(name)} has no default`);
  return parsed.data;
}

/** Tests a URL's parts; a value that is not a URL passes, since the URL check already reports it. */
function urlParts(value: string, test: (url: URL) => boolean): boolean {
  try {
    return test(new URL(value));
  } catch {
    return true;
  }
}

function trimmedPath(url: URL): string {
  return url.pathname.replace(/\/+$/, '');
}

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
