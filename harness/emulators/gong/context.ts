import type { EventEmitter } from 'node:events';
import type { Downloader } from './download-media.js';
import type { FaultQueue } from './faults.js';
import type { LedgerStore } from './ledger.js';
import type { EmulatedOAuth } from './oauth.js';
import type { ResolvedOptions } from './options.js';
import type { RateLimiter } from './rate-limit.js';

/** What every handler shares: live options (changed in place by `configure`), the records, and the events. */
export interface EmulatorContext {
  options: ResolvedOptions;
  ledger: LedgerStore;
  faults: FaultQueue;
  limiter: RateLimiter;
  events: EventEmitter;
  downloads: Downloader;
  /** Access tokens issued through the OAuth app flow are accepted as Bearer tokens too. */
  oauth: EmulatedOAuth;
}
