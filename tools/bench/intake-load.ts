import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { signStandardWebhook } from '../../src/sources/generic/verify-standard-webhook.js';
import { recordingReadyEvent, TEST_WEBHOOK_SECRET } from '../../harness/support/webhook.js';

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 202 (should be none). */
  errors: number;
}

interface Prepared {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * Signed generic webhooks, each a new call, prepared before the clock starts so that the load generator spends its
 * time sending, not signing.
 */
export function prepareWebhooks(count: number, label: string): Prepared[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const callId = `bench-${label}-${i}-${randomUUID()}`;
    const body = Buffer.from(JSON.stringify(recordingReadyEvent(callId, `2026/11/20/${callId}.wav`)));
    const id = `msg_${randomUUID()}`;
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signStandardWebhook(TEST_WEBHOOK_SECRET, id, timestamp, body),
      },
    };
  });
}

/** Sends every prepared webhook over `concurrency` keep-alive connections, and measures the answers. */
export async function sendLoad(baseUrl: string, webhooks: Prepared[], concurrency: number): Promise<LoadResult> {
  const url = new URL('/webhooks/generic', baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const one = (w: Prepared) =>
    new Promise<void>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(url, { method: 'POST', agent, headers: w.headers }, (res) => {
        res.resume();
        res.once('end', () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (res.statusCode !== 202) errors++;
          resolve();
        });
      });
      req.once('error', reject);
      req.end(w.body);
    });
  const lane = async () => {
    while (next < webhooks.length) await one(webhooks[next++]!);
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { requests: webhooks.length, seconds, perSecond: webhooks.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), errors };
}
