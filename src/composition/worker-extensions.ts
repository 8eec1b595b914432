import type { S3Client } from '@aws-sdk/client-s3';
import type { SourcesConfig } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import { createUrlRecordingReader } from '../storage/url-recordings.js';
import type { WorkerExtensions } from '../workers/start-worker.js';
import type { DetailsResolver } from '../calls/details-resolver.js';
import { CONNECT_RESOLVER } from '../sources/connect/connect-key.js';
import { GENESYS_RESOLVER } from '../sources/genesys/genesys-key.js';
import { createGenesysResolver } from '../sources/genesys/genesys-resolver.js';
import { SIDECAR_RESOLVER } from '../sources/s3-sidecar/sidecar-key.js';
import { createSidecarResolver } from '../sources/s3-sidecar/sidecar-resolver.js';
import { TWILIO_RESOLVER, TWILIO_VENDOR } from '../sources/twilio/twilio-callback-to-job.js';
import { createTwilioCallResolver } from '../sources/twilio/twilio-call-resolver.js';
import { hasTwilioCredentials, twilioAuthorization } from '../sources/twilio/twilio-credentials.js';
import { createUserMapFile } from '../sources/user-map/user-map-file.js';

/**
 * What the phone-system sources add to the worker, from the settings: Twilio's recording reader and call resolver
 * (with Twilio credentials), the Connect resolver (with CONNECT_INSTANCE_ID), the Genesys and sidecar resolvers
 * (always: they only read the allowed buckets), and USER_MAP_FILE. A job whose source is not configured here fails
 * naming what is missing, and can be replayed once it is set. The Connect SDK is loaded only when Connect is
 * configured: it adds tens of MiB to every worker that never uses it.
 */
export async function createWorkerExtensions(sources: SourcesConfig, s3: S3Client, logger: Logger): Promise<WorkerExtensions & { close(): void }> {
  const { twilio, connect, userMapFile } = sources;
  const resolvers: Record<string, DetailsResolver> = {
    [GENESYS_RESOLVER]: createGenesysResolver(s3),
    [SIDECAR_RESOLVER]: createSidecarResolver(s3),
  };
  const extensions: WorkerExtensions = { resolvers };
  if (hasTwilioCredentials(twilio)) {
    resolvers[TWILIO_RESOLVER] = createTwilioCallResolver({ apiBaseUrl: twilio.apiBaseUrl, credentials: twilio });
    extensions.urlReaders = {
      [TWILIO_VENDOR]: createUrlRecordingReader({ vendor: 'Twilio', apiBaseUrl: twilio.apiBaseUrl, authorization: (url) => twilioAuthorization(twilio, url) }),
    };
  }
  if (connect.instanceId) {
    const { createConnectResolver } = await import('../sources/connect/connect-resolver.js');
    resolvers[CONNECT_RESOLVER] = createConnectResolver({ instanceId: connect.instanceId, endpoint: connect.endpoint, region: connect.region });
  }
  const userMap = userMapFile ? createUserMapFile({ path: userMapFile, logger }) : undefined;
  if (userMap) extensions.identityMap = userMap;
  // Stops watching USER_MAP_FILE; the S3 client is the caller's (one per process) and closed by it.
  return { ...extensions, close: () => userMap?.close() };
}
