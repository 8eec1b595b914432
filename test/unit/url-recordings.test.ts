import { createServer, type Server } from 'node:http';
import { Agent, createServer as createHttpsServer } from 'node:https';
import { createUrlRecordingReader } from '../../src/storage/url-recordings.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { closeServer, listenOn } from '../../harness/vendors/request-log.js';
import { makeTestCertificates, type TestCertificates } from '../../harness/vendors/test-certificates.js';

type Seen = { path: string; authorization?: string };

/** A vendor API stand-in: `/ok.wav` with length, `/chunked.wav` without, redirects, and error statuses. */
async function start(handler: (path: string, res: import('node:http').ServerResponse) => void, tls?: TestCertificates) {
  const seen: Seen[] = [];
  const listener = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    seen.push({ path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    handler(req.url ?? '', res);
  };
  const server: Server = tls ? (createHttpsServer({ cert: tls.tls.cert, key: tls.tls.key }, listener) as unknown as Server) : createServer(listener);
  const port = await listenOn(server);
  return { server, seen, url: `${tls ? 'https://localhost' : 'http://127.0.0.1'}:${port}` };
}

describe('vendor URL recordings', () => {
  const audio = makeWav(32 * 1024);
  let certs: TestCertificates;
  let api: Awaited<ReturnType<typeof start>>;
  let storage: Awaited<ReturnType<typeof start>>;
  let reader: ReturnType<typeof createUrlRecordingReader>;

  beforeAll(async () => {
    certs = makeTestCertificates();
    storage = await start((path, res) => res.writeHead(200, { 'content-length': String(audio.length) }).end(audio), certs);
    api = await start((path, res) => {
      if (path === '/ok.wav') return res.writeHead(200, { 'content-length': String(audio.length) }).end(audio);
      if (path === '/chunked.wav') return res.writeHead(200).end(audio);
      if (path === '/to-https.wav') return res.writeHead(302, { location: `${storage.url}/signed.wav?X-Amz-Signature=abc` }).end();
      if (path === '/to-http.wav') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      if (path === '/text.wav') return res.writeHead(200, { 'content-length': '11' }).end('hello world');
      res.writeHead(Number(path.slice(1, 4)) || 404).end();
    });
    reader = createUrlRecordingReader({ vendor: 'Twilio', apiBaseUrl: api.url, authorization: () => 'Basic c2VjcmV0', httpsAgent: new Agent({ ca: certs.tls.cert }) });
  });
  afterAll(async () => {
    await Promise.all([closeServer(api.server), closeServer(storage.server)]);
    certs.remove();
  });

  const ref = (path: string, base = api.url) => ({ kind: 'url' as const, vendor: 'twilio', url: `${base}${path}` });
  const read = async (stream: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  it('inspects and streams a recording with its exact length, sending the credentials', async () => {
    const info = await reader.inspect(ref('/ok.wav'));
    expect(info).toEqual({ size: audio.length, format: 'wav', contentType: 'audio/wav', fileName: 'ok.wav' });
    const opened = await reader.open(ref('/ok.wav'), info);
    expect(opened.size).toBe(audio.length);
    expect(sha256(await read(opened.stream))).toBe(sha256(audio));
    expect(api.seen.at(-1)?.authorization).toBe('Basic c2VjcmV0');
  });

  it('when a body comes without Content-Length, then open streams it once with the length inspect counted, writing nothing to disk', async () => {
    const info = await reader.inspect(ref('/chunked.wav'));
    expect(info.size).toBe(audio.length);
    const requests = api.seen.length;
    const opened = await reader.open(ref('/chunked.wav'), info);
    expect(opened.size).toBe(audio.length);
    expect(opened.release).toBeUndefined();
    expect((opened.stream as unknown as { path?: string }).path).toBeUndefined();
    expect(sha256(await read(opened.stream))).toBe(sha256(audio));
    expect(api.seen.length).toBe(requests + 1);
  });

  it('when a body without Content-Length is not the length inspect counted, then the stream fails and the job retries', async () => {
    const counted = { size: audio.length - 1, format: 'wav' as const, contentType: 'audio/wav', fileName: 'x.wav' };
    const longer = await reader.open(ref('/chunked.wav'), counted);
    await expect(read(longer.stream)).rejects.toMatchObject({ problem: 'storage_unavailable', permanent: false });
    const shorter = await reader.open(ref('/chunked.wav'), { ...counted, size: audio.length + 1 });
    await expect(read(shorter.stream)).rejects.toMatchObject({ problem: 'storage_unavailable' });
  });

  it('refuses a URL on any other origin without a request (other host, port or scheme)', async () => {
    const before = api.seen.length + storage.seen.length;
    for (const url of [`${storage.url}/ok.wav`, api.url.replace('127.0.0.1', 'localhost') + '/ok.wav', 'http://169.254.169.254/latest/meta-data', 'file:///etc/passwd']) {
      await expect(reader.inspect({ kind: 'url', vendor: 'twilio', url })).rejects.toMatchObject({ problem: 'origin_not_allowed' });
    }
    expect(api.seen.length + storage.seen.length).toBe(before);
  });

  it('follows a redirect to https without the credentials, and refuses one to plain http', async () => {
    const info = await reader.inspect(ref('/to-https.wav'));
    expect(info.size).toBe(audio.length);
    expect(storage.seen.at(-1)).toEqual({ path: '/signed.wav?X-Amz-Signature=abc' });
    await expect(reader.inspect(ref('/to-http.wav'))).rejects.toMatchObject({ problem: 'origin_not_allowed' });
  });

  it('classifies answers: 404 retried (the file can lag), 401 a configuration problem, 410 gone, not audio refused', async () => {
    await expect(reader.inspect(ref('/404.wav'))).rejects.toMatchObject({ problem: 'storage_unavailable', permanent: false });
    await expect(reader.inspect(ref('/401.wav'))).rejects.toMatchObject({ problem: 'source_not_configured', permanent: true });
    await expect(reader.inspect(ref('/410.wav'))).rejects.toMatchObject({ problem: 'recording_missing' });
    await expect(reader.inspect(ref('/503.wav'))).rejects.toMatchObject({ problem: 'storage_unavailable' });
    await expect(reader.inspect(ref('/text.wav'))).rejects.toMatchObject({ problem: 'unsupported_format' });
  });

  it('refuses a recording larger than the limit, declared or counted', async () => {
    const small = createUrlRecordingReader({ vendor: 'Twilio', apiBaseUrl: api.url, authorization: () => undefined, maxBytes: 1024 });
    await expect(small.inspect(ref('/ok.wav'))).rejects.toMatchObject({ problem: 'recording_too_large' });
    await expect(small.inspect(ref('/chunked.wav'))).rejects.toMatchObject({ problem: 'recording_too_large' });
  });
});
