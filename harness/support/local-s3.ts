import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import S3rver from 's3rver';

/** s3rver's fixed credentials: any pair works, these are the ones its docs use. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  put(bucket: string, key: string, body: Buffer | Readable, contentLength?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real S3-compatible HTTP server (s3rver) on a random port, storing objects in a temporary folder. */
export async function startLocalS3(buckets: string[], port = 0): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port, address: '127.0.0.1', silent: true, directory, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  // s3rver predates the SDK's default CRC checksums, which stream bodies as aws-chunked: it would store the
  // chunk framing as if it were the object. Checksums only when an operation requires them.
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    async put(bucket, key, body, contentLength) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: contentLength }));
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export async function createBucket(s3: LocalS3, name: string): Promise<void> {
  await s3.client.send(new CreateBucketCommand({ Bucket: name }));
}
