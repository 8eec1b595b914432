import type { SourceDefinition } from '../source-definition.js';
import { createS3EventsHandler } from './handle-s3-events.js';

/**
 * S3 recording events for phone systems that write recordings to S3 themselves (Amazon Connect, Genesys Cloud's
 * export, any PBX). Served when SNS_TOPIC_ARNS or EVENTBRIDGE_AUTH_SECRET says whose events to trust.
 */
export const s3EventsSource: SourceDefinition = {
  name: 's3-events',
  path: '/webhooks/s3-events',
  // SNS posts JSON as text/plain; EventBridge API destinations post application/json.
  accepts: ['text/plain', 'application/json'],
  create: ({ config, enqueue, logger }) => {
    const { sns, eventBridge } = config.sources;
    if (!sns.topicArns?.length && !eventBridge.authSecret) return undefined;
    return createS3EventsHandler({ allowedBuckets: config.allowedBuckets, sns, eventBridge, enqueue, logger });
  },
};
