import type { SourceDefinition } from '../source-definition.js';
import { createGenericWebhookHandler } from './handle-generic-webhook.js';

/** Standard Webhooks-signed JSON, for phone systems (or glue code) that can send the documented event. */
export const genericSource: SourceDefinition = {
  name: 'generic',
  path: '/webhooks/generic',
  accepts: ['application/json', 'application/*+json'],
  create: ({ config, enqueue }) =>
    createGenericWebhookHandler({ ...config.webhook, allowedBuckets: config.allowedBuckets, enqueue }),
};
