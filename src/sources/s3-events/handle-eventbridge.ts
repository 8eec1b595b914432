import { createHash, timingSafeEqual } from 'node:crypto';
import { invalid, unauthorized, type SourceResponse } from '../source-handler.js';
import { parseJsonWithin } from '../intake/json-limits.js';
import { parseEventBridgeEvent, type CreatedObject } from './created-objects.js';

export interface EventBridgeOptions {
  /** EVENTBRIDGE_AUTH_SECRET: the API key value of the API destination's connection. */
  secret?: string;
  /** The secret the request carried, from the header named by EVENTBRIDGE_AUTH_HEADER. */
  given: string | undefined;
  accept: (objects: CreatedObject[]) => Promise<SourceResponse>;
}

/** Compared as SHA-256 digests so that neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** An EventBridge API destination delivery: the shared secret, then an `aws.s3` `Object Created` event. */
export async function handleEventBridgeDelivery(rawBody: Buffer, options: EventBridgeOptions): Promise<SourceResponse> {
  if (!options.secret) return unauthorized('EventBridge deliveries are refused until EVENTBRIDGE_AUTH_SECRET is set');
  if (!options.given || !sameSecret(options.given, options.secret)) return unauthorized('The EventBridge API key header is missing or wrong');
  const json = parseJsonWithin(rawBody, '(body)');
  if (!json.ok) return invalid(json.fields);
  const event = parseEventBridgeEvent(json.value);
  if (event.kind === 'invalid') return invalid(event.fields);
  if (event.kind !== 'objects') return { status: 200, outcome: 'ignored', body: { ignored: true, reason: event.kind === 'other' ? event.reason : 'test event' } };
  return options.accept(event.objects);
}
