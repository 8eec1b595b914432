import type { Logger } from '../../logging/logger.js';
import type { EnqueueCall } from '../accept-call.js';
import type { SourceRequest, SourceResponse } from '../source-handler.js';
import { acceptObjects } from './accept-objects.js';
import { handleEventBridgeDelivery } from './handle-eventbridge.js';
import { handleSnsDelivery } from './handle-sns.js';
import { createSnsCertificates, type SnsCertificates } from './sns-certificates.js';

export interface S3EventsOptions {
  allowedBuckets: readonly string[];
  sns: { certHostPattern: string; topicArns?: string[] };
  eventBridge: { authHeader: string; authSecret?: string };
  enqueue: EnqueueCall;
  logger: Logger;
  /** For tests; by default certificates are fetched over https and cached. */
  certificates?: SnsCertificates;
}

/**
 * `POST /webhooks/s3-events`: S3 "object created" events, from Amazon SNS (told apart by its
 * `x-amz-sns-message-type` header) or from an EventBridge API destination.
 */
export function createS3EventsHandler(options: S3EventsOptions) {
  // Anchored to the whole host where it is checked (checkSnsUrl), for certificates and subscriptions alike.
  const hostPattern = new RegExp(options.sns.certHostPattern);
  const certificates = options.certificates ?? createSnsCertificates(hostPattern);
  const allowedBuckets = new Set(options.allowedBuckets);
  const accept = (objects: Parameters<typeof acceptObjects>[1]) => acceptObjects('s3-events', objects, { allowedBuckets, enqueue: options.enqueue, logger: options.logger });

  return async function handleS3Events(req: SourceRequest): Promise<SourceResponse> {
    const snsType = req.headers['x-amz-sns-message-type'];
    if (snsType) {
      return handleSnsDelivery(req.rawBody, snsType, { hostPattern, topicArns: options.sns.topicArns, certificates, accept, logger: options.logger });
    }
    return handleEventBridgeDelivery(req.rawBody, { secret: options.eventBridge.authSecret, given: req.headers[options.eventBridge.authHeader], accept });
  };
}
