/**
 * The baselines of `npm run bench:intake`: the least a webhook endpoint can do on Express, in its own process like
 * the service. It reads the raw body (1 MiB limit), checks the Standard Webhooks HMAC in constant time, parses the
 * JSON and answers 202; no validation. Given a Redis URL and a queue prefix it also adds one BullMQ job per webhook
 * (the event as the job's data, the call id as the job id, on an auto-pipelined connection as the service's) and
 * answers only once Redis has it: the least a durable BullMQ intake can do, so that the bench can tell what the
 * queue costs from what the service adds. Prints `{"port": N}` once it listens.
 * Usage: tsx tools/bench/bare-intake.ts <whsec_ secret> [<redis url> <queue prefix>]
 */
import express from 'express';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const [secret = '', redisUrl, prefix] = process.argv.slice(2);
// A KeyObject made once, as the service does: the least an endpoint must do, done the cheap way.
const key = createSecretKey(Buffer.from(secret.replace(/^whsec_/, ''), 'base64'));
const queue = redisUrl && prefix ? new Queue('calls', { connection: new Redis(redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: true }), prefix: `{${prefix}}` }) : undefined;
const app = express();
app.disable('x-powered-by');
app.post('/webhooks/generic', express.raw({ type: () => true, limit: 1024 * 1024 }), async (req, res) => {
  const body = req.body as Buffer;
  const expected = createHmac('sha256', key).update(`${req.get('webhook-id')}.${req.get('webhook-timestamp')}.`).update(body).digest();
  const given = Buffer.from((req.get('webhook-signature') ?? '').replace(/^v1,/, ''), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    res.status(401).json({ error: 'unauthorized' });
    return;
  }
  const event = JSON.parse(body.toString('utf8')) as { data?: { callId?: string } };
  const jobId = `call-${event.data?.callId}`;
  if (queue) await queue.add('call', event, { jobId });
  res.status(202).json({ jobId, duplicate: false });
});
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
process.on('SIGTERM', () => server.close(() => void (queue ? queue.close() : Promise.resolve()).then(() => process.exit(0))));
