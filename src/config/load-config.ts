import type { z } from 'zod';
import { zodFieldProblems } from '../validation/field-problems.js';
import { crossFieldProblems, envSchema } from './config-schema.js';
import { configSchema } from './config-shape.js';
import { redisProblems } from './redis-settings.js';
import { userMapProblems } from './user-map-problems.js';
import { otelProblems } from './otel-problems.js';
import { tracingRequested } from '../telemetry/tracing-wanted.js';

export type { HostPort, RedisSettings, RedisTls } from './redis-settings.js';
export { hashTaggedPrefix, redisSettings } from './redis-settings.js';

/** The service's settings, grouped by the part that uses them: the settings schema's output (config-shape.ts). */
export type Config = z.output<typeof configSchema>;
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
 * Reads and validates the environment, and reads USER_MAP_FILE to check it. Values are never echoed into errors:
 * some of them are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankless = withoutBlanks(env);
  const parsed = envSchema.safeParse(blankless);
  const problems = [
    ...(parsed.success ? [] : describeIssues(parsed.error)),
    ...[...crossFieldProblems(blankless), ...redisProblems(blankless), ...userMapProblems(blankless), ...otelProblems(blankless, tracingRequested(blankless))].map((p) => `${p.path}: ${p.message}`),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  // Checked above with every problem listed; the parse below cannot fail, and turns the variables into the Config.
  return configSchema.parse(blankless);
}

/** Drops unset and empty variables: deployment templates often render an unset value as "". */
export function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** A zod error on the environment as lines for {@link ConfigError}; a problem with no path is the environment's. */
export function describeIssues(error: z.ZodError): string[] {
  return zodFieldProblems(error, { whole: '(environment)' }).map((p) => `${p.field}: ${p.problem}`);
}

