import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import got, { type Response } from 'got';
import type { PipelineEnv } from '../support/pipeline-env.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { startConnectStandIn, type ConnectStandIn } from './connect-stand-in.js';
import { startSnsStandIn, TEST_TOPIC_ARN, type SnsStandIn } from './sns-stand-in.js';
import { makeTestCertificates, type TestCertificates } from './test-certificates.js';

export const EVENTBRIDGE_SECRET = 'eventbridge-test-secret-0123456789';

/** The vendor stand-ins around a service that takes S3 events: SNS (https), Connect, a user map; torn down together. */
export interface S3EventsRig {
  service: ServiceProcess;
  sns: SnsStandIn;
  connect: ConnectStandIn;
  certificates: TestCertificates;
  /** Puts an object in the local S3, with optional x-amz-meta-* metadata. */
  put(key: string, body: Buffer | string, metadata?: Record<string, string>): Promise<void>;
  /** POSTs an EventBridge "Object Created" event as an API destination would, with the shared-secret header. */
  eventBridge(bucket: string, key: string, secret?: string): Promise<Response<string>>;
  close(): Promise<void>;
}

export async function startS3EventsRig(env: PipelineEnv, userMap: Record<string, string>): Promise<S3EventsRig> {
  const certificates = makeTestCertificates();
  const [sns, connect] = await Promise.all([startSnsStandIn(certificates), startConnectStandIn()]);
  const mapDir = mkdtempSync(join(tmpdir(), 'user-map-'));
  writeFileSync(join(mapDir, 'users.json'), JSON.stringify(userMap));
  const service = await startService(
    env.serviceEnv({
      ROLE: 'all',
      SNS_CERT_HOST_PATTERN: '^localhost$',
      SNS_TOPIC_ARNS: TEST_TOPIC_ARN,
      // The service trusts the stand-ins' self-signed TLS certificate the way it trusts any CA: through Node.
      NODE_EXTRA_CA_CERTS: certificates.tls.certPath,
      EVENTBRIDGE_AUTH_SECRET: EVENTBRIDGE_SECRET,
      CONNECT_INSTANCE_ID: connect.instanceId,
      CONNECT_ENDPOINT: connect.url,
      USER_MAP_FILE: join(mapDir, 'users.json'),
    }),
  );
  return {
    service,
    sns,
    connect,
    certificates,
    put: async (key, body, metadata) => {
      await env.s3.client.send(new PutObjectCommand({ Bucket: 'recordings', Key: key, Body: body, ...(metadata ? { Metadata: metadata } : {}) }));
    },
    eventBridge: (bucket, key, secret = EVENTBRIDGE_SECRET) =>
      got.post(`${service.url}/webhooks/s3-events`, {
        json: {
          version: '0',
          id: crypto.randomUUID(),
          'detail-type': 'Object Created',
          source: 'aws.s3',
          account: '123456789012',
          time: new Date().toISOString(),
          region: 'us-east-1',
          resources: [`arn:aws:s3:::${bucket}`],
          detail: { version: '0', bucket: { name: bucket }, object: { key, size: 1024, etag: 'abc' }, reason: 'PutObject' },
        },
        headers: { 'x-gong-ingest-key': secret },
        throwHttpErrors: false,
        retry: { limit: 0 },
      }),
    async close() {
      await service.stop();
      await Promise.all([sns.close(), connect.close()]);
      certificates.remove();
      rmSync(mapDir, { recursive: true, force: true });
    },
  };
}
