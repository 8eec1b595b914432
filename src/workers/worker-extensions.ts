import type { DetailsResolver } from '../calls/details-resolver.js';
import type { IdentityMap } from '../calls/identity-map.js';
import type { RecordingReaders } from '../storage/recording-store.js';

/** What phone-system sources add to the worker: readers for their recordings, resolvers for their metadata. */
export interface WorkerExtensions {
  urlReaders?: RecordingReaders['url'];
  resolvers?: Record<string, DetailsResolver>;
  identityMap?: IdentityMap;
}
