import type { z } from 'zod';
import { zodFieldProblems } from '../validation/field-problems.js';
import { crossFieldProblems, envSchema } from './config-schema.js';
import { configSchema } from './config-shape.js';
import { redisProblems } from './redis-settings.js';
import { userMapProblems } from './user-map-problems.js';
import { otelProblems } from './otel-problems.js';
import { readTenantsFile } from './tenants-problems.js';
import type { TenantSet } from '../tenants/tenant-settings.js';
import { tracingRequested } from '../telemetry/tracing-wanted.js';

export type { HostPort, RedisSettings, RedisTls } from './redis-settings.js';
export { hashTaggedPrefix, redisSettings } from './redis-settings.js';

/**
 * The service's settings, grouped by the part that uses them: the settings schema's output (config-shape.ts), and
 * TENANTS_FILE's Gong companies beside the implicit default one (none without the file), read with their secrets.
 */
export type Config = z.output<typeof configSchema> & { tenants: TenantSet };
export type SourcesConfig = Config['sources'];

export type { GongAuth } from './config-shape.js';

/** Thrown with every invalid setting listed, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads and validates the environment, reads USER_MAP_FILE to check it, and reads TENANTS_FILE with its secrets. Values are never echoed into errors:
 * some of them are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankless = withoutBlanks(env);
  const parsed = envSchema.safeParse(blankless);
  const tenants = readTenantsFile(blankless);
  const problems = [
    ...(parsed.success ? [] : describeIssues(parsed.error)),
    ...tenants.problems.map((p) => `TENANTS_FILE: ${p}`),
    ...[...crossFieldProblems(blankless), ...redisProblems(blankless), ...userMapProblems(blankless), ...otelProblems(blankless, tracingRequested(blankless))].map((p) => `${p.path}: ${p.message}`),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  // Checked above with every problem listed; the parse below cannot fail, and turns the variables into the Config.
  const config = configSchema.parse(blankless);
  return { ...config, tenants: { file: blankless.TENANTS_FILE, tenants: tenants.tenants, environment: blankless, defaultBuckets: config.s3.allowedBuckets } };
}

/** Drops unset and empty variables: deployment templates often render an unset value as "". */
export function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** A zod error on the environment as lines for {@link ConfigError}; a problem with no path is the environment's. */
export function describeIssues(error: z.ZodError): string[] {
  return zodFieldProblems(error, { whole: '(environment)' }).map((p) => `${p.field}: ${p.problem}`);
}

