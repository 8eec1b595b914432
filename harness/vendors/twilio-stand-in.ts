import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import got, { type Response } from 'got';
import { computeTwilioSignature } from '../../src/sources/twilio/twilio-signature.js';
import { closeServer, listenOn, logRequest, type LoggedRequest } from './request-log.js';

export const sid = (prefix: 'AC' | 'CA' | 'RE') => `${prefix}${randomBytes(16).toString('hex')}`;

/** A call as Twilio's Calls resource answers it. */
export interface StandInCall {
  sid: string;
  from: string;
  to: string;
  direction: string;
  start_time: string;
  duration?: string;
  caller_name?: string | null;
  parent_call_sid?: string | null;
}

export interface StandInRecording {
  bytes: Buffer;
  /** Answer 404 this many times first (Twilio's file lagging the callback). */
  notFoundTimes?: number;
  /** Send without Content-Length (chunked), as a proxy might. */
  chunked?: boolean;
}

/**
 * Twilio's REST API as far as the service uses it, over real HTTP: the Calls resource and recording media
 * (`…/Recordings/{sid}.wav`), both behind Basic auth with the account SID and auth token.
 */
export interface TwilioStandIn {
  url: string;
  accountSid: string;
  authToken: string;
  requests: LoggedRequest[];
  addCall(call: StandInCall): void;
  addRecording(recordingSid: string, recording: StandInRecording): void;
  /** The RecordingUrl Twilio would send for a recording (no extension). */
  recordingUrl(recordingSid: string): string;
  close(): Promise<void>;
}

export async function startTwilioStandIn(accountSid = sid('AC'), authToken = randomBytes(16).toString('hex')): Promise<TwilioStandIn> {
  const calls = new Map<string, StandInCall>();
  const recordings = new Map<string, StandInRecording>();
  const requests: LoggedRequest[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = createServer((req, res) => {
    const entry = logRequest(requests, req);
    if (entry.authorization !== expectedAuth) return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    const call = /^\/2010-04-01\/Accounts\/(AC\w+)\/Calls\/(CA\w+)\.json$/.exec(entry.path);
    if (call && call[1] === accountSid) {
      const found = calls.get(call[2]!);
      return found ? json(res, 200, { account_sid: accountSid, ...found }) : json(res, 404, { code: 20404, status: 404 });
    }
    const media = /^\/2010-04-01\/Accounts\/(AC\w+)\/Recordings\/(RE\w+)\.wav$/.exec(entry.path);
    const recording = media && media[1] === accountSid ? recordings.get(media[2]!) : undefined;
    if (!recording) return json(res, 404, { code: 20404, status: 404 });
    if ((recording.notFoundTimes ?? 0) > 0) {
      recording.notFoundTimes!--;
      return json(res, 404, { code: 20404, status: 404 });
    }
    res.writeHead(200, { 'content-type': 'audio/x-wav', ...(recording.chunked ? {} : { 'content-length': String(recording.bytes.length) }) });
    res.end(recording.bytes);
  });
  const port = await listenOn(server);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    accountSid,
    authToken,
    requests,
    addCall: (c) => calls.set(c.sid, c),
    addRecording: (recordingSid, recording) => recordings.set(recordingSid, recording),
    recordingUrl: (recordingSid) => `${url}/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`,
    close: () => closeServer(server),
  };
}

/** Posts a recording status callback the way Twilio does: form-encoded, signed over the public URL and the fields. */
export async function sendTwilioCallback(
  serviceUrl: string,
  params: Record<string, string>,
  signing: { authToken: string; publicUrl: string; signature?: string },
  path = '/webhooks/twilio',
): Promise<Response<string>> {
  const entries = Object.entries(params);
  const signature = signing.signature ?? computeTwilioSignature(signing.authToken, signing.publicUrl, entries);
  return got.post(`${serviceUrl}${path}`, {
    body: new URLSearchParams(entries).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    throwHttpErrors: false,
    retry: { limit: 0 },
  });
}

/** The fields of a completed recording callback. */
export function completedCallback(twilio: TwilioStandIn, callSid: string, recordingSid: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: twilio.accountSid,
    CallSid: callSid,
    RecordingSid: recordingSid,
    RecordingUrl: twilio.recordingUrl(recordingSid),
    RecordingStatus: 'completed',
    RecordingDuration: '12',
    RecordingChannels: '1',
    RecordingStartTime: 'Fri, 20 Nov 2026 10:00:05 +0000',
    RecordingSource: 'DialVerb',
    ...extra,
  };
}
