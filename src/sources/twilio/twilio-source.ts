import type { SourceDefinition } from '../source-definition.js';
import { createTwilioWebhookHandler } from './handle-twilio-webhook.js';

/** Twilio Programmable Voice recording callbacks. Served only when TWILIO_AUTH_TOKEN (and so PUBLIC_BASE_URL) is set. */
export const twilioSource: SourceDefinition = {
  name: 'twilio',
  path: '/webhooks/twilio',
  accepts: ['application/x-www-form-urlencoded'],
  create: ({ config, enqueue, logger }) => {
    const { authToken, accountSid } = config.sources.twilio;
    const publicBaseUrl = config.sources.publicBaseUrl;
    if (!authToken || !publicBaseUrl) return undefined;
    return createTwilioWebhookHandler({ authToken, publicBaseUrl, accountSid, enqueue, logger });
  },
};
