import got, { type Response } from 'got';
import { randomUUID } from 'node:crypto';
import { signStandardWebhook } from '../../src/sources/generic/verify-standard-webhook.js';

export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('test-secret-test-secret-test-secret!').toString('base64')}`;

export interface SendOptions {
  secret?: string;
  timestamp?: number;
  id?: string;
  contentType?: string;
  /** Replace the signature header entirely (or drop it with null). */
  signature?: string | null;
  /** More headers, e.g. a sender's `traceparent`. */
  headers?: Record<string, string>;
}

/** Posts a body to the generic webhook, signed the Standard Webhooks way unless told otherwise. */
export async function sendGenericWebhook(baseUrl: string, body: unknown, options: SendOptions = {}): Promise<Response<string>> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature === undefined ? signStandardWebhook(options.secret ?? TEST_WEBHOOK_SECRET, id, timestamp, raw) : options.signature;
  return got.post(`${baseUrl}/webhooks/generic`, {
    body: raw,
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      ...(signature === null ? {} : { 'webhook-signature': signature }),
      ...options.headers,
    },
    throwHttpErrors: false,
    retry: { limit: 0 },
  });
}

export function recordingReadyEvent(callId: string, key: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'recording.ready',
    data: {
      callId,
      startedAt: '2026-11-20T10:00:00Z',
      direction: 'Outbound',
      primaryUser: '234599484848423',
      parties: [
        { name: 'Ann Rep', emailAddress: 'ann@acme.com', userId: '234599484848423' },
        { name: 'Bob Buyer', phoneNumber: '+15551234567' },
      ],
      recording: { bucket: 'recordings', key },
      durationSeconds: 12.5,
      title: 'Discovery call',
      ...overrides,
    },
  };
}
