/**
 * The baseline for `npm run bench:upload`, run in its own process so its memory is measured alone: the plainest
 * possible Node code that moves an S3 object into Gong's media endpoint — GetObject's stream piped into an
 * http.request PUT between a hand-written multipart head and tail. No retries, no checks, no metrics.
 * Prints one JSON line: {bytes, seconds, peakRssBytes}.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { peakRssBytes } from '../lib/peak-rss.js';

const [endpoint, bucket, key, mediaUrl, auth] = process.argv.slice(2) as [string, string, string, string, string];
const s3 = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });

const started = process.hrtime.bigint();
const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
const size = object.ContentLength!;
const boundary = 'baseline-boundary-7f3a';
const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="mediaFile"; filename="recording.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
const req = request(mediaUrl, {
  method: 'PUT',
  headers: { authorization: auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
});
const answered = new Promise<number>((resolve, reject) => {
  req.on('response', (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode ?? 0));
  });
  req.on('error', reject);
});
async function* body() {
  yield head;
  yield* object.Body as Readable;
  yield tail;
}
await pipeline(Readable.from(body()), req);
const status = await answered;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (status !== 201) throw new Error(`baseline upload answered ${status}`);
process.stdout.write(`${JSON.stringify({ bytes: size, seconds, peakRssBytes: peakRssBytes() })}\n`);
