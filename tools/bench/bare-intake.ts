/**
 * The baseline of `npm run bench:intake`: the least a webhook endpoint can do on Express, in its own process like
 * the service. It reads the raw body (1 MiB limit), checks the Standard Webhooks HMAC in constant time, parses the
 * JSON and answers 202; no validation, no Redis. Prints `{"port": N}` once it listens.
 * Usage: tsx tools/bench/bare-intake.ts <whsec_ secret>
 */
import express from 'express';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

// A KeyObject made once, as the service does: the least an endpoint must do, done the cheap way.
const key = createSecretKey(Buffer.from((process.argv[2] ?? '').replace(/^whsec_/, ''), 'base64'));
const app = express();
app.disable('x-powered-by');
app.post('/webhooks/generic', express.raw({ type: () => true, limit: 1024 * 1024 }), (req, res) => {
  const body = req.body as Buffer;
  const expected = createHmac('sha256', key).update(`${req.get('webhook-id')}.${req.get('webhook-timestamp')}.`).update(body).digest();
  const given = Buffer.from((req.get('webhook-signature') ?? '').replace(/^v1,/, ''), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    res.status(401).json({ error: 'unauthorized' });
    return;
  }
  const event = JSON.parse(body.toString('utf8')) as { data?: { callId?: string } };
  res.status(202).json({ jobId: `call-${event.data?.callId}`, duplicate: false });
});
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
