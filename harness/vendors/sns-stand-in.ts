import { randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:https';
import got, { type Response } from 'got';
import { snsStringToSign, type SnsMessage } from '../../src/sources/s3-events/sns-message.js';
import { closeServer, listenOn, logRequest, type LoggedRequest } from './request-log.js';
import type { TestCertificates } from './test-certificates.js';

export const TEST_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:recordings';

export interface SignOptions {
  version?: '1' | '2';
  topicArn?: string;
  /** ISO time the message claims; now by default. */
  timestamp?: string;
  /** Another SigningCertURL (e.g. on a host the service must not trust). */
  signingCertUrl?: string;
  /** Sign with this private key instead of the stand-in's own. */
  key?: string;
  subject?: string;
}

/**
 * Amazon SNS's side over real HTTPS: it serves its signing certificate and the SubscribeURL of a confirmation
 * on `localhost` (the service's SNS_CERT_HOST_PATTERN is set to accept it; NODE_EXTRA_CA_CERTS trusts its TLS
 * certificate), and signs messages the way SNS does (versions 1 and 2).
 */
export interface SnsStandIn {
  /** https://localhost:PORT */
  url: string;
  signingCertUrl: string;
  requests: LoggedRequest[];
  notification(message: unknown, options?: SignOptions): SnsMessage;
  subscriptionConfirmation(options?: SignOptions): SnsMessage;
  /** POSTs a message to the service as SNS does (text/plain JSON and the message-type header). */
  deliver(serviceUrl: string, message: SnsMessage): Promise<Response<string>>;
  close(): Promise<void>;
}

export async function startSnsStandIn(certificates: TestCertificates): Promise<SnsStandIn> {
  const requests: LoggedRequest[] = [];
  const server = createServer({ cert: certificates.tls.cert, key: certificates.tls.key }, (req, res) => {
    const entry = logRequest(requests, req);
    if (entry.path.startsWith('/SimpleNotificationService-')) return res.writeHead(200, { 'content-type': 'text/plain' }).end(certificates.signing.cert);
    if (entry.path.startsWith('/?Action=ConfirmSubscription')) {
      return res.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>arn</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>');
    }
    res.writeHead(404).end();
  });
  const port = await listenOn(server);
  const url = `https://localhost:${port}`;
  const signingCertUrl = `${url}/SimpleNotificationService-${randomUUID().slice(0, 8)}.pem`;

  function signed(fields: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>, options: SignOptions): SnsMessage {
    const version = options.version ?? '1';
    const unsigned = { ...fields, SignatureVersion: version, Signature: '', SigningCertURL: options.signingCertUrl ?? signingCertUrl } as SnsMessage;
    const signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(snsStringToSign(unsigned)), options.key ?? certificates.signing.key).toString('base64');
    return { ...unsigned, Signature: signature };
  }

  return {
    url,
    signingCertUrl,
    requests,
    notification: (message, options = {}) =>
      signed(
        {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: options.topicArn ?? TEST_TOPIC_ARN,
          ...(options.subject ? { Subject: options.subject } : {}),
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: options.timestamp ?? new Date().toISOString(),
        },
        options,
      ),
    subscriptionConfirmation: (options = {}) => {
      const token = randomUUID().replace(/-/g, '');
      const topicArn = options.topicArn ?? TEST_TOPIC_ARN;
      return signed(
        {
          Type: 'SubscriptionConfirmation',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Token: token,
          Message: `You have chosen to subscribe to the topic ${topicArn}.`,
          SubscribeURL: `${url}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`,
          Timestamp: options.timestamp ?? new Date().toISOString(),
        },
        options,
      );
    },
    deliver: (serviceUrl, message) =>
      got.post(`${serviceUrl}/webhooks/s3-events`, {
        body: JSON.stringify(message),
        headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type, 'x-amz-sns-topic-arn': message.TopicArn },
        throwHttpErrors: false,
        retry: { limit: 0 },
      }),
    close: () => closeServer(server as unknown as import('node:http').Server),
  };
}

/** S3's event notification for created objects; keys are form-URL-encoded the way S3 sends them. */
export function s3Notification(bucket: string, keys: string[], eventName = 'ObjectCreated:Put') {
  return {
    Records: keys.map((key) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date().toISOString(),
      eventName,
      s3: { s3SchemaVersion: '1.0', bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: encodeS3Key(key), size: 1024, sequencer: '0055AED6DCD90281E5' } },
    })),
  };
}

export const encodeS3Key = (key: string) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
