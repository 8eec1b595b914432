import { randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { completedCallback, sendTwilioCallback, sid, startTwilioStandIn, type TwilioStandIn } from '../../harness/vendors/twilio-stand-in.js';

/**
 * Twilio's recording callback to bytes in Gong: a signed callback, the Calls resource and the recording media on a
 * Twilio stand-in over real HTTP, the service in its own process, real Redis, the Gong emulator.
 */
describe('Twilio source', () => {
  const publicBase = 'https://ingest.example.com';
  const publicUrl = `${publicBase}/webhooks/twilio`;
  let env: PipelineEnv;
  let twilio: TwilioStandIn;
  let elsewhere: TwilioStandIn;
  let service: ServiceHandle;
  let mapDir: string;
  let mapFile: string;

  function writeMap(map: Record<string, string>): void {
    // Replaced, not rewritten in place, as editors and ConfigMaps do.
    writeFileSync(`${mapFile}.tmp`, JSON.stringify(map));
    renameSync(`${mapFile}.tmp`, mapFile);
  }

  beforeAll(async () => {
    env = await startPipelineEnv('src-twilio');
    env.gong.configure({ users: [{ id: '222', emailAddress: 'ann@acme.com' }] });
    twilio = await startTwilioStandIn();
    // Another server holding the same account's recordings: a host the service was not configured for.
    elsewhere = await startTwilioStandIn(twilio.accountSid, twilio.authToken);
    mapDir = mkdtempSync(join(tmpdir(), 'user-map-'));
    mapFile = join(mapDir, 'users.json');
    writeMap({ '+1 (555) 000-1111': '111', 'client:ann': 'ann@acme.com' });
    service = await startInProcess(
      env.serviceEnv({
        ROLE: 'all',
        PUBLIC_BASE_URL: publicBase,
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_API_BASE_URL: twilio.url,
        USER_MAP_FILE: mapFile,
      }),
    );
  });
  afterAll(async () => {
    await service?.stop();
    await Promise.all([env?.close(), twilio?.close(), elsewhere?.close()]);
    rmSync(mapDir, { recursive: true, force: true });
  });

  /** A call with its recording on the stand-in; `from`/`to` and extra callback fields vary per test. */
  function newCall(call: { from: string; to: string; direction: string }, recording: { chunked?: boolean; notFoundTimes?: number } = {}) {
    const callSid = sid('CA');
    const recordingSid = sid('RE');
    const audio = makeWav(128 * 1024);
    twilio.addCall({ sid: callSid, ...call, start_time: 'Fri, 20 Nov 2026 10:00:00 +0000', duration: '14', caller_name: null });
    twilio.addRecording(recordingSid, { bytes: audio, ...recording });
    return { callSid, recordingSid, audio, clientUniqueId: `twilio:${callSid}` };
  }
  const send = (params: Record<string, string>, signing: { authToken?: string; publicUrl?: string; signature?: string } = {}) =>
    sendTwilioCallback(service.url, params, { authToken: signing.authToken ?? twilio.authToken, publicUrl: signing.publicUrl ?? publicUrl, signature: signing.signature });
  const job = async (clientUniqueId: string) => (await env.queue.queue.getJob(jobIdForCall(clientUniqueId)))!;
  const finish = async (clientUniqueId: string) => (await job(clientUniqueId)).waitUntilFinished(env.queue.events, 30_000);
  const gongCall = (clientUniqueId: string) => env.gong.ledger.byClientUniqueId(clientUniqueId);

  it('When Twilio posts a signed completed callback, then Gong gets the call from the Calls resource, the rep by number, and the exact audio', async () => {
    const c = newCall({ from: '+15557654321', to: '+15550001111', direction: 'inbound' });
    const res = await send(completedCallback(twilio, c.callSid, c.recordingSid));
    expect(res.statusCode).toBe(202);
    await finish(c.clientUniqueId);
    const call = gongCall(c.clientUniqueId)!;
    expect(call.body).toMatchObject({ clientUniqueId: c.clientUniqueId, direction: 'Inbound', actualStart: '2026-11-20T10:00:00.000Z', primaryUser: '111', duration: 12 });
    // The rep's party keeps the number Twilio gave (Gong matches the rep's line by it) beside the user id.
    expect(call.body.parties).toEqual([{ phoneNumber: '+15557654321' }, { phoneNumber: '+15550001111', userId: '111' }]);
    expect(call.media).toMatchObject({ bytes: c.audio.length, sha256: sha256(c.audio), contentType: 'audio/wav', fileName: `${c.recordingSid}.wav` });
    const paths = twilio.requests.filter((r) => r.path.includes(c.callSid) || r.path.includes(c.recordingSid));
    expect(paths.map((r) => r.path)).toEqual(expect.arrayContaining([expect.stringMatching(/Calls\/CA\w+\.json$/), expect.stringMatching(/Recordings\/RE\w+\.wav$/)]));
  });

  it('When the same signed callback is delivered again (a replay or a Twilio retry), then it is the same job and nothing new is added', async () => {
    const c = newCall({ from: '+15557654322', to: '+15550001111', direction: 'inbound' });
    const params = completedCallback(twilio, c.callSid, c.recordingSid);
    expect((await send(params)).statusCode).toBe(202);
    await finish(c.clientUniqueId);
    const counts = await env.queue.counts();
    const gongRequests = env.gong.ledger.requests().length;
    const again = await send(params);
    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body)).toMatchObject({ duplicate: true });
    expect(await env.queue.counts()).toEqual(counts);
    expect(env.gong.ledger.requests().length).toBe(gongRequests);
  });

  it('When one call has two recordings, then each becomes its own Gong call with its own audio, and redeliveries of either add nothing', async () => {
    const c = newCall({ from: '+15557654329', to: '+15550001111', direction: 'inbound' });
    const secondSid = sid('RE');
    const secondAudio = makeWav(96 * 1024);
    twilio.addRecording(secondSid, { bytes: secondAudio });
    const first = completedCallback(twilio, c.callSid, c.recordingSid);
    const second = completedCallback(twilio, c.callSid, secondSid);
    expect(JSON.parse((await send(first)).body)).toMatchObject({ duplicate: false });
    expect(JSON.parse((await send(second)).body)).toMatchObject({ duplicate: false });
    const secondId = `${c.clientUniqueId}:${secondSid}`;
    await Promise.all([finish(c.clientUniqueId), finish(secondId)]);
    expect(gongCall(c.clientUniqueId)?.media).toMatchObject({ bytes: c.audio.length, sha256: sha256(c.audio) });
    expect(gongCall(secondId)?.media).toMatchObject({ bytes: secondAudio.length, sha256: sha256(secondAudio) });

    const gongRequests = env.gong.ledger.requests().length;
    for (const again of [second, first, second]) expect(JSON.parse((await send(again)).body)).toMatchObject({ duplicate: true });
    expect(env.gong.ledger.requests().length).toBe(gongRequests);
    expect(env.gong.ledger.calls().filter((call) => call.clientUniqueId.startsWith(c.clientUniqueId))).toHaveLength(2);
  });

  it.each([
    ['a wrong signature', { signature: Buffer.from(randomBytes(20)).toString('base64') }],
    ['a stale signature (made with the auth token before it was rotated)', { authToken: 'the-previous-auth-token' }],
    ['a signature for another URL', { publicUrl: 'https://attacker.example.com/webhooks/twilio' }],
    ['no signature', { signature: '' }],
  ])('When a callback comes with %s, then it is refused with 403 and nothing is enqueued', async (_label, signing) => {
    const c = newCall({ from: '+15557654323', to: '+15550001111', direction: 'inbound' });
    const res = await send(completedCallback(twilio, c.callSid, c.recordingSid), signing);
    expect(res.statusCode).toBe(403);
    expect(await env.queue.queue.getJob(jobIdForCall(c.clientUniqueId))).toBeUndefined();
  });

  it('When Twilio signed the URL with the standard port spelled out, then the signature still verifies', async () => {
    const c = newCall({ from: '+15557654324', to: '+15550001111', direction: 'inbound' });
    const res = await send(completedCallback(twilio, c.callSid, c.recordingSid), { publicUrl: 'https://ingest.example.com:443/webhooks/twilio' });
    expect(res.statusCode).toBe(202);
    await finish(c.clientUniqueId);
  });

  it('When the recording is absent or failed, then Twilio gets 200, the callback is counted as ignored, and nothing is enqueued', async () => {
    for (const status of ['absent', 'failed']) {
      const c = newCall({ from: '+15557654325', to: '+15550001111', direction: 'inbound' });
      const { RecordingUrl: _none, ...params } = completedCallback(twilio, c.callSid, c.recordingSid, { RecordingStatus: status, ErrorCode: '0' });
      const res = await send(params);
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ ignored: true });
      expect(await env.queue.queue.getJob(jobIdForCall(c.clientUniqueId))).toBeUndefined();
    }
    const metrics = await got(`${service.url}/metrics`).text();
    expect(metrics).toMatch(/gong_ingest_webhooks_received_total\{source="twilio",outcome="ignored"\} 2/);
  });

  it('When RecordingUrl points at another host, then the job fails as origin_not_allowed and that host is never asked', async () => {
    const c = newCall({ from: '+15557654326', to: '+15550001111', direction: 'inbound' });
    elsewhere.addRecording(c.recordingSid, { bytes: c.audio });
    const res = await send(completedCallback(twilio, c.callSid, c.recordingSid, { RecordingUrl: elsewhere.recordingUrl(c.recordingSid) }));
    expect(res.statusCode).toBe(202);
    await expect(finish(c.clientUniqueId)).rejects.toThrow(/\[origin_not_allowed\] .*not on the configured API origin/);
    expect(elsewhere.requests).toHaveLength(0);
    expect(gongCall(c.clientUniqueId)).toBeUndefined();
  });

  it('When the media answers 404 for a moment and then comes without Content-Length, then the job retries, streams it with the length it counted, and Gong gets the exact bytes', async () => {
    const c = newCall({ from: '+15557654327', to: '+15550001111', direction: 'inbound' }, { notFoundTimes: 2, chunked: true });
    expect((await send(completedCallback(twilio, c.callSid, c.recordingSid))).statusCode).toBe(202);
    await finish(c.clientUniqueId);
    expect(gongCall(c.clientUniqueId)!.media).toMatchObject({ bytes: c.audio.length, sha256: sha256(c.audio) });
    expect((await job(c.clientUniqueId)).attemptsMade).toBeGreaterThanOrEqual(2);
  });

  it('When a <Dial> recording is dual-channel, then the caller is marked on the parent call\'s channel (0)', async () => {
    const c = newCall({ from: '+15557654328', to: '+15550001111', direction: 'inbound' });
    await send(completedCallback(twilio, c.callSid, c.recordingSid, { RecordingChannels: '2', RecordingSource: 'DialVerb' }));
    await finish(c.clientUniqueId);
    expect(gongCall(c.clientUniqueId)!.body.parties).toContainEqual({ phoneNumber: '+15557654328', mediaChannelId: 0 });
  });

  it('When a browser client places the call, then it is Outbound and the rep is found by email through /v2/users', async () => {
    const c = newCall({ from: 'client:ann', to: '+15557654329', direction: 'inbound' });
    await send(completedCallback(twilio, c.callSid, c.recordingSid));
    await finish(c.clientUniqueId);
    const call = gongCall(c.clientUniqueId)!;
    expect(call.body).toMatchObject({ direction: 'Outbound', primaryUser: '222' });
    expect(call.body.parties).toContainEqual({ name: 'ann', userId: '222', emailAddress: 'ann@acme.com' });
  });

  it('When no rep is known, then the job fails for good naming the identities tried, and a replay after the map is fixed uploads it', async () => {
    const c = newCall({ from: '+15557654330', to: '+15550009999', direction: 'inbound' });
    await send(completedCallback(twilio, c.callSid, c.recordingSid));
    await expect(finish(c.clientUniqueId)).rejects.toThrow(/\[unknown_user\] No Gong user found for the rep \(tried: \+15550009999\)\. Fix USER_MAP_FILE/);
    expect((await job(c.clientUniqueId)).attemptsMade).toBe(1);

    const reloaded = service.waitForLog((l) => l.msg === 'user map loaded' && l.identities === 3);
    writeMap({ '+15550001111': '111', 'client:ann': 'ann@acme.com', '+15550009999': 'ann@acme.com' });
    await reloaded;
    await (await job(c.clientUniqueId)).retry('failed');
    await finish(c.clientUniqueId);
    expect(gongCall(c.clientUniqueId)!.body).toMatchObject({ primaryUser: '222' });
  });

  it('When jobs ran, then the auth token is in no log line and no job data', async () => {
    // A job of its own, so that the check does not depend on which tests ran before.
    const c = newCall({ from: '+15557654330', to: '+15550001111', direction: 'inbound' });
    expect((await send(completedCallback(twilio, c.callSid, c.recordingSid))).statusCode).toBe(202);
    await finish(c.clientUniqueId);
    expect(service.output()).not.toContain(twilio.authToken);
    const jobs = await env.queue.queue.getJobs(['completed', 'failed', 'waiting', 'delayed', 'active']);
    expect(jobs.length).toBeGreaterThan(0);
    for (const j of jobs) expect(JSON.stringify(j.data)).not.toContain(twilio.authToken);
  });
});
