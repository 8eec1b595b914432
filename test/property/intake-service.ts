import { randomBytes, randomUUID } from 'node:crypto';
import got, { type Response } from 'got';
import { computeTwilioSignature } from '../../src/sources/twilio/twilio-signature.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startService, type ServiceProcess } from '../../harness/support/service-process.js';
import { sendGenericWebhook } from '../../harness/support/webhook.js';
import { startSnsStandIn, TEST_TOPIC_ARN, type SnsStandIn } from '../../harness/vendors/sns-stand-in.js';
import { makeTestCertificates, type TestCertificates } from '../../harness/vendors/test-certificates.js';

export const PUBLIC_BASE = 'https://ingest.example.com';
export const EVENTBRIDGE_SECRET = 'eventbridge-hostile-secret-0123456789';

/**
 * The service (its own process, ROLE=api, so accepted jobs stay where the test can read them) with every intake
 * route on: generic, Twilio, SNS (the stand-in's certificate over https) and EventBridge. Each sender signs the
 * body it is given the way the vendor does, so whatever the service refuses, it refuses for its content.
 */
export interface IntakeService {
  env: PipelineEnv;
  service: ServiceProcess;
  sns: SnsStandIn;
  twilio: { accountSid: string; authToken: string };
  generic(rawBody: string): Promise<Response<string>>;
  twilioCallback(params: Array<[string, string]>): Promise<Response<string>>;
  /** An SNS Notification whose `Message` is the given text, signed; extra envelope fields are added unsigned. */
  snsNotification(message: string, extraEnvelope?: Record<string, unknown>): Promise<Response<string>>;
  eventBridge(rawBody: string): Promise<Response<string>>;
  close(): Promise<void>;
}

const noThrow = { throwHttpErrors: false, retry: { limit: 0 } } as const;

export async function startIntakeService(label: string, overrides: Record<string, string> = {}): Promise<IntakeService> {
  const env = await startPipelineEnv(label);
  let certificates: TestCertificates | undefined;
  let sns: SnsStandIn | undefined;
  try {
    certificates = makeTestCertificates();
    sns = await startSnsStandIn(certificates);
    const twilio = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
    const service = await startService(
      env.serviceEnv({
        ROLE: 'api',
        LOG_LEVEL: 'info',
        PUBLIC_BASE_URL: PUBLIC_BASE,
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        SNS_CERT_HOST_PATTERN: '^localhost$',
        SNS_TOPIC_ARNS: TEST_TOPIC_ARN,
        NODE_EXTRA_CA_CERTS: certificates.tls.certPath,
        EVENTBRIDGE_AUTH_SECRET: EVENTBRIDGE_SECRET,
        ...overrides,
      }),
    );
    const snsStandIn = sns;
    const certs = certificates;
    return {
      env,
      service,
      sns: snsStandIn,
      twilio,
      generic: (rawBody) => sendGenericWebhook(service.url, rawBody),
      twilioCallback: (params) =>
        got.post(`${service.url}/webhooks/twilio`, {
          body: new URLSearchParams(params).toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': computeTwilioSignature(twilio.authToken, `${PUBLIC_BASE}/webhooks/twilio`, params),
          },
          ...noThrow,
        }),
      snsNotification: (message, extraEnvelope = {}) => snsStandIn.deliver(service.url, { ...snsStandIn.notification(message), ...extraEnvelope }),
      eventBridge: (rawBody) =>
        got.post(`${service.url}/webhooks/s3-events`, {
          body: rawBody,
          headers: { 'content-type': 'application/json', 'x-gong-ingest-key': EVENTBRIDGE_SECRET },
          ...noThrow,
        }),
      async close() {
        await service.stop();
        await Promise.all([snsStandIn.close(), env.close()]);
        certs.remove();
      },
    };
  } catch (error) {
    await sns?.close();
    certificates?.remove();
    await env.close();
    throw error;
  }
}

/** An EventBridge `Object Created` event for one object, as an API destination posts it. */
export function eventBridgeEvent(bucket: unknown, key: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${String(bucket)}`],
    detail: { version: '0', bucket: { name: bucket }, object: { key, size: 1024, etag: 'abc' }, reason: 'PutObject' },
    ...extra,
  };
}

/** S3's notification with raw (already encoded, or deliberately malformed) keys. */
export function s3RecordsWithRawKeys(bucket: unknown, rawKeys: unknown[]): Record<string, unknown> {
  return {
    Records: rawKeys.map((key) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: bucket }, object: { key, size: 1024 } },
    })),
  };
}
