import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import type { EnqueueCall } from './accept-call.js';
import type { SourceRequest, SourceResponse } from './source-handler.js';

/** What every source gets to build its handler from. */
export interface SourceContext {
  config: Config;
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
