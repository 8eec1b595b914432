import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { FormDataEncoder } from 'form-data-encoder';
import { startGongEmulator, type GongEmulator, type RequestRecord } from '../../harness/emulators/gong/create-gong-emulator.js';
import { createRateLimiter } from '../../harness/emulators/gong/rate-limit.js';

/**
 * The Gong emulator is what every pipeline test believes Gong to be, so it is tested like a third party's API:
 * real HTTP on port 0, each answer checked against GONG-FACTS.md, and the ledger checked for what "Gong" kept.
 */

const REP = '234599484848423';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A valid new-call body with a fresh clientUniqueId. */
function newCall(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientUniqueId: `pbx-${randomUUID()}`,
    actualStart: '2026-11-20T10:00:00Z',
    direction: 'Outbound',
    primaryUser: REP,
    parties: [
      { userId: REP, name: 'Rep', emailAddress: 'rep@example.com' },
      { phoneNumber: '+15550100', name: 'Customer' },
    ],
    title: 'Discovery call',
    ...overrides,
  };
}

/** A multipart/form-data body with one file part, framed by form-data-encoder as the service frames it. */
async function multipart(bytes: Buffer, field = 'mediaFile', fileName = 'call.wav', type = 'audio/wav') {
  const form = new FormData();
  form.append(field, new File([bytes], fileName, { type }));
  const encoder = new FormDataEncoder(form);
  const parts: Uint8Array[] = [];
  for await (const part of encoder.encode()) parts.push(part);
  return { body: Buffer.concat(parts), contentType: encoder.contentType };
}

function client(gong: GongEmulator) {
  async function send(method: string, path: string, init: { json?: unknown; body?: Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { authorization: gong.authHeader(), ...init.headers };
    let body: Buffer | string | undefined = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${gong.url}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
  return {
    send,
    createCall: (json: unknown, headers?: Record<string, string>) => send('POST', '/calls', { json, headers }),
    async upload(callId: string, bytes: Buffer, field?: string, fileName?: string) {
      const { body, contentType } = await multipart(bytes, field, fileName);
      return send('PUT', `/calls/${callId}/media`, { body, headers: { 'content-type': contentType } });
    },
    async newCallId(overrides?: Record<string, unknown>): Promise<string> {
      const res = await send('POST', '/calls', { json: newCall(overrides) });
      expect(res.status).toBe(200);
      return res.body.callId as string;
    },
  };
}

/** Resolves with the next 'request' record matching the predicate (set up before acting). */
function nextRequest(gong: GongEmulator, matches: (r: RequestRecord) => boolean): Promise<RequestRecord> {
  return new Promise((resolve) => {
    const listener = (record: RequestRecord) => {
      if (!matches(record)) return;
      gong.events.off('request', listener);
      resolve(record);
    };
    gong.events.on('request', listener);
  });
}

function expectGongError(answer: Answer, status: number, text?: RegExp | string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ requestId: expect.stringMatching(/^\w{10,}$/), errors: expect.any(Array) });
  if (text !== undefined) expect((answer.body.errors as string[]).join('\n')).toMatch(text);
}

describe('Gong emulator', () => {
  let gong: GongEmulator;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    gong = await startGongEmulator();
    api = client(gong);
  });
  afterAll(() => gong?.close());
  afterEach(() => gong.faults.clear());

  describe('authentication', () => {
    it('When a request has no or wrong credentials, then the answer is 401 in Gong error shape and no call is made', async () => {
      const call = newCall();
      const wrongSecret = `Basic ${Buffer.from('emulator-access-key:wrong').toString('base64')}`;
      const before = gong.ledger.count({ op: 'createCall', status: 401 });

      expectGongError(await api.createCall(call, { authorization: '' }), 401);
      expectGongError(await api.createCall(call, { authorization: wrongSecret }), 401);
      expectGongError(await api.createCall(call, { authorization: 'Bearer not-the-token' }), 401);

      expect(gong.ledger.byClientUniqueId(call.clientUniqueId as string)).toBeUndefined();
      expect(gong.ledger.count({ op: 'createCall', status: 401 })).toBe(before + 3);
    });

    it('When a request carries the OAuth bearer token instead of the key pair, then it is accepted', async () => {
      const res = await api.createCall(newCall(), { authorization: 'Bearer emulator-bearer-token' });
      expect(res.status).toBe(200);
    });
  });

  describe('POST /v2/calls', () => {
    it('When a valid call is posted, then the answer is 200 with a new numeric callId and the ledger keeps the body as sent', async () => {
      const call = newCall();
      const created = once(gong.events, 'call-created');
      const res = await api.createCall(call);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ requestId: expect.any(String), callId: expect.stringMatching(/^\d{18,19}$/) });
      const [record] = (await created) as [{ callId: string }];
      expect(record.callId).toBe(res.body.callId);
      expect(gong.ledger.call(res.body.callId as string)).toMatchObject({ clientUniqueId: call.clientUniqueId, body: call });
      expect(gong.ledger.byClientUniqueId(call.clientUniqueId as string)?.media).toBeUndefined();
    });

    it('When required fields are missing or malformed, then the 400 lists every problem by field name and nothing is created', async () => {
      const call = newCall({
        actualStart: '2026-11-20T10:00:00', // no offset
        direction: 'Sideways',
        primaryUser: 'rep@example.com', // an email, not a user id
        parties: [{ name: 'Ann', emailAddress: 'not-an-email' }],
        purpose: 'x'.repeat(256),
        disposition: 'y'.repeat(256),
      });
      delete call.clientUniqueId;
      const res = await api.createCall(call);

      expectGongError(res, 400);
      const errors = (res.body.errors as string[]).join('\n');
      for (const field of ['clientUniqueId', 'actualStart', 'direction', 'primaryUser', 'parties[0].emailAddress', 'purpose', 'disposition']) {
        expect(errors).toContain(field);
      }
      expect(gong.ledger.calls().some((c) => c.body.purpose === call.purpose)).toBe(false);
    });

    it('When parties are empty or leave out the primary user, then the answer is 400 saying so', async () => {
      expectGongError(await api.createCall(newCall({ parties: [] })), 400, /parties/);
      expectGongError(await api.createCall(newCall({ parties: [{ name: 'Someone else', userId: '111' }] })), 400, /primaryUser 234599484848423 must be one of the parties/);
    });

    it('When the same clientUniqueId is posted twice, then the second answer is 400 naming the first call id', async () => {
      const call = newCall();
      const first = await api.createCall(call);
      const second = await api.createCall({ ...call, title: 'a retry' });

      expectGongError(second, 400, `clientUniqueId ${String(call.clientUniqueId)} has already been posted for the call ${String(first.body.callId)}`);
      expect(gong.ledger.calls().filter((c) => c.clientUniqueId === call.clientUniqueId)).toHaveLength(1);
    });

    it('When telephony import is disabled for the primary user, then the answer is 409 naming the user', async () => {
      gong.configure({ importDisabledUsers: ['999'] });
      try {
        const call = newCall({ primaryUser: '999', parties: [{ userId: '999' }] });
        expectGongError(await api.createCall(call), 409, 'Recording or telephony call import is not enabled for primaryUser 999');
        expect(gong.ledger.byClientUniqueId(call.clientUniqueId as string)).toBeUndefined();
      } finally {
        gong.configure({ importDisabledUsers: [] });
      }
    });

    it('When a route does not exist, then the answer is 404 in Gong error shape', async () => {
      expectGongError(await api.send('GET', '/calls/123/transcript-of-nothing'), 404);
      expectGongError(await api.send('DELETE', '/calls'), 404);
    });
  });

  describe('PUT /v2/calls/{id}/media', () => {
    it('When a recording is uploaded as multipart mediaFile, then the answer is 201 and Gong holds exactly its bytes', async () => {
      const callId = await api.newCallId();
      const audio = randomBytes(300 * 1024 + 7);
      const stored = once(gong.events, 'media-stored');
      const res = await api.upload(callId, audio, 'mediaFile', 'rec-1.wav');

      expect(res.status).toBe(201);
      expect(res.body).toEqual({ requestId: expect.any(String), callId, url: expect.stringContaining(callId) });
      await stored;
      expect(gong.ledger.call(callId)?.media).toEqual({ bytes: audio.length, sha256: sha256(audio), fileName: 'rec-1.wav', contentType: 'audio/wav', via: 'upload' });
    });

    it('When the raw bytes are sent instead of multipart, then the answer is 415 and nothing is stored', async () => {
      const callId = await api.newCallId();
      const res = await api.send('PUT', `/calls/${callId}/media`, { body: randomBytes(1024), headers: { 'content-type': 'audio/wav' } });
      expectGongError(res, 415, /multipart\/form-data/);
      expect(gong.ledger.call(callId)?.media).toBeUndefined();
    });

    it('When the call id is unknown, then the answer is 404', async () => {
      expectGongError(await api.upload('1234567890123456789', randomBytes(1024)), 404, /1234567890123456789/);
    });

    it('When the file is in another field than mediaFile, then the answer is 400 naming mediaFile', async () => {
      const callId = await api.newCallId();
      expectGongError(await api.upload(callId, randomBytes(2048), 'file'), 400, /mediaFile/);
      expect(gong.ledger.call(callId)?.media).toBeUndefined();
    });

    it('When the body is sent chunked without Content-Length, then the answer is 411', async () => {
      const callId = await api.newCallId();
      const { body, contentType } = await multipart(randomBytes(4096));
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${gong.url}/calls/${callId}/media`, { method: 'PUT', headers: { authorization: gong.authHeader(), 'content-type': contentType } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        expect(req.getHeader('content-length')).toBeUndefined();
        // Writing before ending (with no Content-Length header) makes Node send Transfer-Encoding: chunked.
        req.write(body.subarray(0, 1000));
        req.end(body.subarray(1000));
      });
      expect(status).toBe(411);
      expect(gong.ledger.call(callId)?.media).toBeUndefined();
    });

    it('When media is uploaded again to the same call, then the answer is 400 "has already been handled" and the first media stays', async () => {
      const callId = await api.newCallId();
      const audio = randomBytes(64 * 1024);
      expect((await api.upload(callId, audio)).status).toBe(201);
      expectGongError(await api.upload(callId, randomBytes(200 * 1024)), 400, `Media for call ${callId} has already been handled`);
      expect(gong.ledger.call(callId)?.media?.sha256).toBe(sha256(audio));
    });

    it('When the same bytes are uploaded to a second call, then the answer is 400 "same content" and the second call stays empty', async () => {
      const audio = randomBytes(64 * 1024);
      const first = await api.newCallId();
      const second = await api.newCallId();
      expect((await api.upload(first, audio)).status).toBe(201);
      expectGongError(await api.upload(second, audio), 400, 'A media file with the same content has been uploaded in the past');
      expect(gong.ledger.call(second)?.media).toBeUndefined();
    });

    it('When uploads are throttled, then progress is reported while nothing is stored yet, and the whole file lands at the end', async () => {
      gong.configure({ uploadBytesPerSecond: 512 * 1024 });
      try {
        const callId = await api.newCallId();
        const audio = randomBytes(384 * 1024);
        const progress: number[] = [];
        const onProgress = (p: { callId: string; bytesReceived: number }) => p.callId === callId && progress.push(p.bytesReceived);
        gong.events.on('upload-progress', onProgress);
        const firstProgress = once(gong.events, 'upload-progress');
        const started = Date.now();
        const upload = api.upload(callId, audio);

        await firstProgress;
        expect(gong.ledger.call(callId)?.media).toBeUndefined();
        expect((await upload).status).toBe(201);
        expect(Date.now() - started).toBeGreaterThanOrEqual(600); // 384 KiB at 512 KiB/s takes 750 ms
        gong.events.off('upload-progress', onProgress);
        expect(progress.length).toBeGreaterThan(3);
        expect(progress.at(-1)).toBe(audio.length);
      } finally {
        gong.configure({ uploadBytesPerSecond: Infinity });
      }
    });

    it('When the client disconnects in the middle of the body, then nothing is stored and the request is recorded as 499', async () => {
      const callId = await api.newCallId();
      const { body, contentType } = await multipart(randomBytes(256 * 1024));
      const recorded = nextRequest(gong, (r) => r.path === `/v2/calls/${callId}/media`);
      const someBytesIn = once(gong.events, 'upload-progress');
      const req = httpRequest(`${gong.url}/calls/${callId}/media`, {
        method: 'PUT',
        headers: { authorization: gong.authHeader(), 'content-type': contentType, 'content-length': String(body.length) },
      });
      req.on('error', () => {}); // the destroy below is the point of the test
      req.write(body.subarray(0, 100 * 1024));
      await someBytesIn;
      req.destroy();

      expect((await recorded).status).toBe(499);
      expect(gong.ledger.call(callId)?.media).toBeUndefined();
    });
  });

  describe('GET /v2/users', () => {
    const users = Array.from({ length: 5 }, (_, i) => ({ id: `10000000000000000${i}`, emailAddress: `rep${i}@example.com`, firstName: `Rep${i}` }));

    it('When there are more users than a page, then pages follow the cursor and the last page has none', async () => {
      gong.configure({ users, usersPageSize: 2 });
      try {
        const pages: Answer[] = [];
        let cursor: string | undefined;
        do {
          const page = await api.send('GET', `/users${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
          expect(page.status).toBe(200);
          pages.push(page);
          cursor = (page.body.records as { cursor?: string }).cursor;
        } while (cursor && pages.length < 10);

        expect(pages.map((p) => p.body.records)).toEqual([
          { totalRecords: 5, currentPageSize: 2, currentPageNumber: 0, cursor: expect.any(String) },
          { totalRecords: 5, currentPageSize: 2, currentPageNumber: 1, cursor: expect.any(String) },
          { totalRecords: 5, currentPageSize: 1, currentPageNumber: 2 },
        ]);
        const listed = pages.flatMap((p) => p.body.users as Array<{ id: string; emailAddress: string; active: boolean }>);
        expect(listed.map((u) => u.emailAddress)).toEqual(users.map((u) => u.emailAddress));
        expect(listed.every((u) => u.active)).toBe(true);
      } finally {
        gong.configure({ users: [], usersPageSize: 100 });
      }
    });

    it('When there are no users, then the list answers 404 like every Gong list endpoint', async () => {
      expectGongError(await api.send('GET', '/users'), 404, 'No users found corresponding to the provided filters');
    });
  });

  describe('faults', () => {
    it('When failNext is planned, then that many requests get the 5xx in Gong error shape, create nothing, and the next succeeds', async () => {
      gong.faults.failNext('createCall', { status: 503, times: 2 });
      const call = newCall();

      expectGongError(await api.createCall(call), 503);
      expectGongError(await api.createCall(call), 503);
      expect(gong.ledger.byClientUniqueId(call.clientUniqueId as string)).toBeUndefined();
      expect((await api.createCall(call)).status).toBe(200);
    });

    it('When the create answer is dropped, then the call exists, the client sees a socket error, and the retry learns the id from the 400', async () => {
      gong.faults.dropResponseNext('createCall');
      const call = newCall();

      await expect(api.createCall(call)).rejects.toThrow();
      const created = gong.ledger.byClientUniqueId(call.clientUniqueId as string);
      expect(created).toBeDefined();
      expect(gong.ledger.requests().at(-1)).toMatchObject({ op: 'createCall', status: 'dropped' });
      expectGongError(await api.createCall(call), 400, `has already been posted for the call ${created!.callId}`);
    });

    it('When the upload answer is dropped, then the media is stored and a retry is told it has already been handled', async () => {
      const callId = await api.newCallId();
      const audio = randomBytes(100 * 1024);
      gong.faults.dropResponseNext('uploadMedia');

      await expect(api.upload(callId, audio)).rejects.toThrow();
      expect(gong.ledger.call(callId)?.media?.sha256).toBe(sha256(audio));
      expectGongError(await api.upload(callId, audio), 400, 'has already been handled');
    });

    it('When an upload is cut after some bytes, then the client sees a socket error, nothing is stored, and the same bytes upload afterwards', async () => {
      const callId = await api.newCallId();
      const audio = randomBytes(1024 * 1024);
      gong.faults.cutUploadNext({ afterBytes: 128 * 1024 });
      const cutsBefore = gong.ledger.count({ op: 'uploadMedia', status: 'cut' });

      await expect(api.upload(callId, audio)).rejects.toThrow();
      expect(gong.ledger.call(callId)?.media).toBeUndefined();
      expect(gong.ledger.count({ op: 'uploadMedia', status: 'cut' })).toBe(cutsBefore + 1);
      expect((await api.upload(callId, audio)).status).toBe(201);
      expect(gong.ledger.call(callId)?.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio) });
    });
  });

  describe('downloadMediaUrl', () => {
    let files: Server;
    let filesUrl: string;
    const served = new Map<string, { bytes: Buffer; type: string; release: Promise<void> }>();

    beforeAll(async () => {
      files = createServer((req, res) => {
        const file = served.get(req.url ?? '');
        if (!file) return void res.writeHead(404).end();
        // The file is held back until the test releases it: proof that Gong's 200 does not wait for the download.
        void file.release.then(() => res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length }).end(file.bytes));
      });
      files.listen(0, '127.0.0.1');
      await once(files, 'listening');
      filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      files?.closeAllConnections();
      await new Promise((resolve) => files?.close(resolve));
    });

    function serve(path: string, bytes: Buffer, type: string) {
      let release!: () => void;
      served.set(path, { bytes, type, release: new Promise<void>((resolve) => (release = resolve)) });
      return { url: `${filesUrl}${path}`, release };
    }

    it('When a call carries downloadMediaUrl, then Gong answers 200 first and then streams the file into the call', async () => {
      const audio = randomBytes(200 * 1024);
      const file = serve('/bucket/2026/rec-42.mp3?X-Amz-Signature=abc', audio, 'audio/mpeg');
      const stored = once(gong.events, 'media-stored');

      const res = await api.createCall(newCall({ downloadMediaUrl: file.url }));
      expect(res.status).toBe(200);
      expect(gong.ledger.call(res.body.callId as string)?.media).toBeUndefined();
      file.release();
      await stored;
      expect(gong.ledger.call(res.body.callId as string)?.media).toEqual({ bytes: audio.length, sha256: sha256(audio), fileName: 'rec-42.mp3', contentType: 'audio/mpeg', via: 'download' });
    });

    it('When the downloaded file is not audio or video, then nothing is stored and media-failed says why', async () => {
      const file = serve('/notes.txt', Buffer.from('not a recording'), 'text/plain');
      file.release();
      const failed = once(gong.events, 'media-failed');
      const res = await api.createCall(newCall({ downloadMediaUrl: file.url }));

      const [failure] = (await failed) as [{ callId: string; reason: string }];
      expect(failure).toEqual({ callId: res.body.callId, reason: expect.stringContaining('text/plain') });
      expect(gong.ledger.call(res.body.callId as string)?.media).toBeUndefined();
    });

    it('When a downloadMediaUrl is given a second time, then the answer is 400', async () => {
      const file = serve('/once.wav', randomBytes(4096), 'audio/wav');
      file.release();
      const stored = once(gong.events, 'media-stored');
      expect((await api.createCall(newCall({ downloadMediaUrl: file.url }))).status).toBe(200);
      await stored;
      expectGongError(await api.createCall(newCall({ downloadMediaUrl: file.url })), 400, /downloadMediaUrl/);
    });
  });

  describe('control API for other processes', () => {
    it('When faults, configuration and reset go through /__emulator, then they act like the in-process API', async () => {
      const base = gong.url.replace(/\/v2$/, '/__emulator');
      const post = (path: string, json: unknown) => fetch(`${base}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });

      expect((await post('faults', { action: 'failNext', op: 'createCall', status: 502 })).status).toBe(200);
      expect((await api.createCall(newCall())).status).toBe(502);
      expect((await post('faults', { action: 'explode' })).status).toBe(400);
      expect((await post('configure', { ratePerSecond: 'fast' })).status).toBe(400);
      expect((await post('configure', { ratePerSecond: null, usersPageSize: 50 })).status).toBe(200);

      const call = newCall();
      const created = await api.createCall(call);
      const ledger = (await (await fetch(`${base}/ledger`)).json()) as { calls: Array<{ callId: string }>; requests: RequestRecord[] };
      expect(ledger.calls.map((c) => c.callId)).toContain(created.body.callId);
      expect(ledger.requests.at(-1)).toMatchObject({ op: 'createCall', method: 'POST', path: '/v2/calls', status: 200 });

      expect((await post('reset', {})).status).toBe(200);
      expect(gong.ledger.calls()).toHaveLength(0);
      expect(gong.ledger.requests()).toHaveLength(0);
      expect((await api.createCall(call)).status).toBe(200); // the reset forgot the clientUniqueId too
    });
  });
});

describe('Gong emulator rate limits', () => {
  const emulators: GongEmulator[] = [];
  afterAll(() => Promise.all(emulators.map((e) => e.close())));
  const start = async (options: Parameters<typeof startGongEmulator>[0]) => {
    const gong = await startGongEmulator({ users: [{ id: '1', emailAddress: 'a@example.com' }], ...options });
    emulators.push(gong);
    return Object.assign(client(gong), { gong });
  };

  it('When a 4th request arrives within a second at 3 per second, then it gets 429 with Retry-After in whole seconds, recorded, not counted', async () => {
    const api = await start({ ratePerSecond: 3 });
    const gong = api.gong;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api.send('GET', '/users')).status);
    const refused = await api.send('POST', '/calls', { json: newCall() });

    expect(statuses).toEqual([200, 200, 200]);
    expectGongError(refused, 429, /rate limit/i);
    expect(refused.headers.get('retry-after')).toBe('1');
    // This test's own emulator, whichever test started one first.
    expect(gong.ledger.count({ status: 429 })).toBe(1);
    expect(gong.ledger.calls()).toHaveLength(0);
  });

  it('When the daily budget is spent, then every endpoint gets 429 with Retry-After counting down to the next day window', async () => {
    const api = await start({ dailyLimit: 2, dayLengthMs: 60_000 });
    expect((await api.send('GET', '/users')).status).toBe(200);
    expect((await api.send('POST', '/calls', { json: newCall() })).status).toBe(200);

    const refused = await api.send('POST', '/calls', { json: newCall() });
    expectGongError(refused, 429, /daily/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(58);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await api.send('GET', '/users')).status).toBe(429);
  });

  it('When the clock moves, then the per-second window slides (not fixed seconds) and refused requests do not count', () => {
    let now = 10_000;
    const limiter = createRateLimiter(() => ({ ratePerSecond: 3, dailyLimit: Infinity, dayLengthMs: 86_400_000 }), () => now);
    const at = (t: number) => {
      now = 10_000 + t;
      return limiter.admit();
    };
    expect([at(0), at(600), at(999)].every((d) => d.allowed)).toBe(true);
    expect(at(999.5)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(at(1000).allowed).toBe(true); // the request at 0 left the window
    // A fixed one-second window starting at 1000 would allow this; a sliding one still holds 600, 999 and 1000.
    expect(at(1500)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(at(1600).allowed).toBe(true);
  });

  it('When the day window ends, then the daily budget is whole again and Retry-After counted down to that moment', () => {
    let now = 0;
    const limiter = createRateLimiter(() => ({ ratePerSecond: Infinity, dailyLimit: 2, dayLengthMs: 10_000 }), () => now);
    expect(limiter.admit().allowed && limiter.admit().allowed).toBe(true);
    now = 2_500;
    expect(limiter.admit()).toMatchObject({ allowed: false, retryAfterSeconds: 8 });
    now = 10_000;
    expect(limiter.admit().allowed).toBe(true);
  });
});

describe('Gong emulator CLI', () => {
  it('When started as a process, then it prints its /v2 URL as one JSON line, serves, and exits 0 on SIGTERM', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'harness/emulators/gong/cli.ts'], {
      env: { ...process.env, PORT: '0', GONG_EMULATOR_RATE_PER_SECOND: '3' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: proc.stdout }), 'line')) as [string];
      const { url } = JSON.parse(line) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      const basic = `Basic ${Buffer.from('emulator-access-key:emulator-access-key-secret').toString('base64')}`;
      expectGongError(await fetch(`${url}/users`, { headers: { authorization: basic } }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> })), 404);

      const exited = once(proc, 'exit');
      proc.kill('SIGTERM');
      expect(await exited).toEqual([0, null]);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });
});
