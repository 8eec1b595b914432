/**
 * The baseline for `npm run bench:ratelimit`: how common connectors pace Gong requests. Each process takes
 * calls from a Redis list and sleeps a fixed pause between its own requests, its share of the budget
 * (1000 ms * processes / N); on a 429 it waits Retry-After and tries again. No coordination between processes.
 * Args: redisUrl listKey gongUrl authHeader pauseMs. Prints {calls} when the list is empty.
 */
import got from 'got';
import { Redis } from 'ioredis';

const [redisUrl, listKey, gongUrl, auth, pauseArg] = process.argv.slice(2) as [string, string, string, string, string];
const pauseMs = Number(pauseArg);
const redis = new Redis(redisUrl);
const http = got.extend({ prefixUrl: `${gongUrl}/`, headers: { authorization: auth }, throwHttpErrors: false, retry: { limit: 0 } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function paced<T extends { statusCode: number; headers: Record<string, unknown> }>(send: () => Promise<T>): Promise<T> {
  for (;;) {
    await sleep(pauseMs);
    const res = await send();
    if (res.statusCode !== 429) return res;
    await sleep(Number(res.headers['retry-after'] ?? 1) * 1000);
  }
}

let calls = 0;
for (;;) {
  const item = await redis.lpop(listKey);
  if (!item) break;
  const { body, audioBase64 } = JSON.parse(item) as { body: Record<string, unknown>; audioBase64: string };
  const created = await paced(() => http.post('calls', { json: body }));
  const { callId } = JSON.parse(created.body) as { callId: string };
  const audio = Buffer.from(audioBase64, 'base64');
  await paced(async () => {
    const form = new FormData();
    form.append('mediaFile', new Blob([audio], { type: 'audio/wav' }), 'call.wav');
    // Encoded to bytes first: got 16 on Node 24 fails a FormData body with "ReadableStream is already closed".
    const encoded = new Request('http://localhost/', { method: 'PUT', body: form });
    const bytes = Buffer.from(await encoded.arrayBuffer());
    return http.put(`calls/${callId}/media`, { body: bytes, headers: { 'content-type': encoded.headers.get('content-type')! } });
  });
  calls++;
}
process.stdout.write(`${JSON.stringify({ calls })}\n`);
await redis.quit();
