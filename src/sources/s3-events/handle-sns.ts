import type { Logger } from '../../logging/logger.js';
import { BODY_LIMITS, fieldName, jsonTreeProblems, parseJsonWithin } from '../intake/json-limits.js';
import { zodFieldProblems } from '../../validation/field-problems.js';
import { invalid, unauthorized, type SourceResponse } from '../source-handler.js';
import { parseS3Notification, type CreatedObject } from './created-objects.js';
import { fetchSmallText } from './fetch-small.js';
import { SnsCertificateError, type SnsCertificates } from './sns-certificates.js';
import { snsMessageSchema, type SnsMessage } from './sns-message.js';
import { verifySnsMessage } from './sns-signature.js';
import { checkSnsUrl } from './sns-urls.js';

export interface SnsDeliveryOptions {
  hostPattern: RegExp;
  /** SNS_TOPIC_ARNS: without it no SNS delivery is trusted, since any AWS account can subscribe this endpoint. */
  topicArns?: readonly string[];
  certificates: SnsCertificates;
  accept: (objects: CreatedObject[]) => Promise<SourceResponse>;
  logger: Logger;
}

const unavailable = (message: string): SourceResponse => ({ status: 503, outcome: 'unavailable', headers: { 'retry-after': '30' }, body: { error: 'unavailable', message } });
const ignored = (reason: string, extra: Record<string, unknown> = {}): SourceResponse => ({ status: 200, outcome: 'ignored', body: { ignored: true, reason, ...extra } });

/**
 * An Amazon SNS delivery: the topic must be one of SNS_TOPIC_ARNS and the signature must verify with the
 * certificate SNS names (fetched only from SNS's hosts). A subscription is confirmed by fetching its SubscribeURL
 * under the same host rule; a notification carries an S3 event in `Message`.
 */
export async function handleSnsDelivery(rawBody: Buffer, messageType: string, options: SnsDeliveryOptions): Promise<SourceResponse> {
  const json = parseJsonWithin(rawBody, '(body)');
  if (!json.ok) return invalid(json.fields);
  const parsed = snsMessageSchema.safeParse(json.value);
  if (!parsed.success) return invalid(zodFieldProblems(parsed.error));
  const message = parsed.data;
  if (message.Type !== messageType) return invalid([{ field: 'Type', problem: `does not match the x-amz-sns-message-type header (${messageType})` }]);
  if (!options.topicArns?.length) return unauthorized('SNS deliveries are refused until SNS_TOPIC_ARNS names the topics to trust', 403);
  if (!options.topicArns.includes(message.TopicArn)) return unauthorized(`Topic ${message.TopicArn} is not in SNS_TOPIC_ARNS`, 403);

  const verified = await verify(message, options);
  if (verified) return verified;

  if (message.Type === 'SubscriptionConfirmation') return confirm(message, options);
  if (message.Type === 'UnsubscribeConfirmation') {
    options.logger.warn({ topicArn: message.TopicArn }, 'SNS says this endpoint was unsubscribed from the topic');
    return ignored('unsubscribe confirmation');
  }
  let event: unknown;
  try {
    event = JSON.parse(message.Message);
  } catch {
    return ignored('the notification Message is not JSON (not an S3 event)');
  }
  const problems = jsonTreeProblems(event, BODY_LIMITS);
  if (problems.length) return invalid(problems.map((p) => ({ field: fieldName('Message', p.path), problem: p.problem })));
  const notification = parseS3Notification(event, 'Message');
  if (notification.kind === 'test') return ignored('s3:TestEvent');
  if (notification.kind === 'other') return ignored(notification.reason);
  if (notification.kind === 'invalid') return invalid(notification.fields);
  return options.accept(notification.objects);
}

/** Undefined when the message is genuine; otherwise the answer to give. */
async function verify(message: SnsMessage, options: SnsDeliveryOptions): Promise<SourceResponse | undefined> {
  let certificate;
  try {
    certificate = await options.certificates.get(message.SigningCertURL);
  } catch (error) {
    if (error instanceof SnsCertificateError) return unauthorized(`SNS signature check failed: ${error.message}`);
    options.logger.warn({ err: { message: (error as Error).message } }, 'SNS signing certificate could not be fetched');
    return unavailable('The SNS signing certificate could not be fetched; deliver again later');
  }
  const result = verifySnsMessage(message, certificate);
  return result.ok ? undefined : unauthorized(`SNS signature check failed: ${result.problem}`);
}

async function confirm(message: SnsMessage, options: SnsDeliveryOptions): Promise<SourceResponse> {
  const checked = checkSnsUrl(message.SubscribeURL ?? '', options.hostPattern);
  if (!checked.ok) return invalid([{ field: 'SubscribeURL', problem: checked.problem }]);
  try {
    const { status } = await fetchSmallText(checked.url);
    if (status !== 200) return unavailable(`SNS answered ${status} to the subscription confirmation`);
  } catch (error) {
    options.logger.warn({ err: { message: (error as Error).message }, topicArn: message.TopicArn }, 'SNS subscription could not be confirmed');
    return unavailable('The subscription could not be confirmed; SNS can resend the confirmation');
  }
  options.logger.info({ topicArn: message.TopicArn }, 'SNS subscription confirmed');
  return ignored('subscription confirmed', { confirmed: true });
}
