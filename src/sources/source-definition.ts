import type { Config, SourcesConfig } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import type { EnqueueCall } from './accept-call.js';
import type { SourceRequest, SourceResponse } from './source-handler.js';

/**
 * The settings a webhook source may read: its own, the webhook secret, and the buckets it may point jobs at. Never
 * the Gong credentials or the rest of the service's settings.
 */
export interface SourceSettings {
  sources: SourcesConfig;
  webhook: Config['webhook'];
  allowedBuckets: readonly string[];
}

/** The slice of the service's settings the webhook sources get. */
export function sourceSettings(config: Pick<Config, 'sources' | 'webhook' | 's3'>): SourceSettings {
  return { sources: config.sources, webhook: config.webhook, allowedBuckets: config.s3.allowedBuckets };
}

/** What every source gets to build its handler from. */
export interface SourceContext {
  config: SourceSettings;
  enqueue: EnqueueCall;
  logger: Logger;
}

/**
 * A phone system the service takes webhooks from: its folder under src/sources/ exports one of these, and
 * src/api/source-table.ts lists it. That line is all the wiring a new source needs.
 */
export interface SourceDefinition {
  /** Metric label and log field: a short fixed name ('generic', 'twilio', ...). */
  name: string;
  /** Route, e.g. '/webhooks/generic'. */
  path: string;
  /** Media types the vendor sends; others get 415 before the body is read. */
  accepts: string[];
  /** Builds the handler; returns undefined when the source is not configured, and then its route is not served. */
  create(context: SourceContext): ((req: SourceRequest) => Promise<SourceResponse>) | undefined;
}
