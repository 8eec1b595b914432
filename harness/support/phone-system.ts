import got from 'got';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signStandardWebhook } from '../../src/sources/generic/verify-standard-webhook.js';
import type { LocalS3 } from './local-s3.js';
import { makeWav, sha256 } from './make-wav.js';
import { recordingReadyEvent, TEST_WEBHOOK_SECRET } from './webhook.js';

/** A call the service answered 202 for: what Gong must end up holding. */
export interface AcceptedCall {
  callId: string;
  sha256: string;
  bytes: number;
  /** ms epoch of the first 202. */
  acceptedAt: number;
}

/** What the phone system saw, per answer kind, over every delivery attempt. */
export interface DeliveryCounts {
  attempts: number;
  accepted: number;
  duplicate: number;
  unavailable503: number;
  /** 500 and any other 5xx than 503: a bug (the cluster failover answered 500). */
  otherServerErrors: number;
  /** Request timeouts and connection errors. */
  noAnswer: number;
  /** 4xx: the body was refused, the phone system gives up (never expected here). */
  refused: number;
}

export interface PhoneSystemOptions {
  /** Recording size per call. @defaultValue 16384 */
  recordingBytes?: number;
  /** Wait before a redelivery; real senders honour Retry-After (5 s), tests shorten it. @defaultValue 250 */
  redeliverDelayMs?: number;
  /** A delivery that gets no answer this fast is given up and sent again, as senders do. @defaultValue 8000 */
  requestTimeoutMs?: number;
  /** Gives up on a call after this long without a 202 (the call is then not accepted). @defaultValue 120000 */
  giveUpAfterMs?: number;
  /** Call id prefix. @defaultValue 'pbx' */
  label?: string;
}

/**
 * Drives the generic webhook the way a phone system does: puts the recording in S3, signs the event, and delivers
 * it until it gets a 202, again after a 503, a timeout or a dropped connection. Every call answered 202 is recorded:
 * those are the calls the service promised to bring to Gong.
 */
export interface PhoneSystem {
  readonly accepted: Map<string, AcceptedCall>;
  readonly counts: DeliveryCounts;
  /** Delivers one new call until 202 (or 4xx, or giving up). */
  deliver(): Promise<void>;
  /** Delivers `n` new calls, `concurrency` at a time; `onAccepted` sees each first 202. */
  deliverMany(n: number, concurrency: number): Promise<void>;
  /** Listens for first 202s (the n-th one is a moment a scenario injects a fault at). */
  onAccepted(listener: (call: AcceptedCall, total: number) => void): void;
}

export function createPhoneSystem(apiUrl: () => string, s3: LocalS3, options: PhoneSystemOptions = {}): PhoneSystem {
  const recordingBytes = options.recordingBytes ?? 16_384;
  const redeliverDelayMs = options.redeliverDelayMs ?? 250;
  const requestTimeoutMs = options.requestTimeoutMs ?? 8_000;
  const giveUpAfterMs = options.giveUpAfterMs ?? 120_000;
  const label = options.label ?? 'pbx';
  const accepted = new Map<string, AcceptedCall>();
  const counts: DeliveryCounts = { attempts: 0, accepted: 0, duplicate: 0, unavailable503: 0, otherServerErrors: 0, noAnswer: 0, refused: 0 };
  const listeners: Array<(call: AcceptedCall, total: number) => void> = [];

  async function post(raw: string): Promise<number | 'no-answer'> {
    const id = `msg_${randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await got.post(`${apiUrl()}/webhooks/generic`, {
        body: raw,
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signStandardWebhook(TEST_WEBHOOK_SECRET, id, timestamp, raw) },
        throwHttpErrors: false,
        retry: { limit: 0 },
        timeout: { request: requestTimeoutMs },
      });
      return res.statusCode;
    } catch {
      return 'no-answer';
    }
  }

  async function deliver(): Promise<void> {
    const callId = `${label}-${randomUUID()}`;
    const audio = makeWav(recordingBytes);
    await s3.put('recordings', `${callId}.wav`, audio);
    const raw = JSON.stringify(recordingReadyEvent(callId, `${callId}.wav`));
    const started = Date.now();
    let seen202 = false;
    for (;;) {
      counts.attempts++;
      const status = await post(raw);
      if (status === 202) {
        // A redelivery after a lost answer is answered duplicate: true; the call counts once.
        if (seen202) counts.duplicate++;
        else counts.accepted++;
        seen202 = true;
        if (!accepted.has(callId)) {
          const call = { callId, sha256: sha256(audio), bytes: audio.length, acceptedAt: Date.now() };
          accepted.set(callId, call);
          for (const listener of listeners) listener(call, accepted.size);
        }
        return;
      }
      if (status === 'no-answer') counts.noAnswer++;
      else if (status === 503) counts.unavailable503++;
      else if (status >= 500) counts.otherServerErrors++;
      else {
        counts.refused++;
        return;
      }
      if (Date.now() - started > giveUpAfterMs) return;
      await sleep(redeliverDelayMs);
    }
  }

  return {
    accepted,
    counts,
    deliver,
    async deliverMany(n, concurrency) {
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, n) }, async () => {
          while (next < n) {
            next++;
            await deliver();
          }
        }),
      );
    },
    onAccepted: (listener) => void listeners.push(listener),
  };
}
