import { randomUUID } from 'node:crypto';
import got, { RequestError, type Got, type Response } from 'got';
import { trace } from '@opentelemetry/api';
import type { GongAuth } from '../config/load-config.js';
import { inSpan, SpanKind } from '../telemetry/in-span.js';
import { ATTR } from '../telemetry/span-names.js';
import type { ImportReservation, TrafficLane, TrafficScope } from '../traffic/traffic-lane.js';
import { GongHttpError, GongNetworkError, type GongOperation } from './gong-errors.js';
import { existingCallIdFromDuplicate, isMediaAlreadyHandled, parseRetryAfter } from './gong-error-text.js';
import type { NewCallRequest } from './map-call.js';
import { multipartFileBody, type StreamedFile } from './multipart-body.js';
import { authHeaders, senderOf, type GongSender, type GongSession } from './gong-session.js';

/** Told about every request: how long it took and how it ended (an HTTP status or 'network'). */
export interface GongRequestObserver {
  (operation: GongOperation, outcome: number | 'network', seconds: number): void;
}

/** Awaited before each request: the hook where a shared rate limiter holds requests back. */
export interface GongRequestGate {
  (operation: GongOperation, signal?: AbortSignal, scope?: TrafficScope): Promise<void>;
}

export interface GongClientOptions {
  /** Ends in `/v2`, e.g. `https://us-12345.api.gong.io/v2`. */
  baseUrl: string;
  auth: GongAuth;
  /** With `auth.kind` 'oauth': the tenant's token and API host, asked before every request. */
  session?: GongSession;
  /** Timeout for JSON requests. @defaultValue 30000 */
  requestTimeoutMs?: number;
  /** Timeout for sending an upload body; uploads of 1.5 GB take minutes. @defaultValue 1800000 */
  uploadTimeoutMs?: number;
  observe?: GongRequestObserver;
  gate?: GongRequestGate;
  /**
   * Resolves when `gate` would let a request go now, without taking a turn: an upload opens its recording only
   * then, and takes its turn after, so the recording is not held open through a long wait and the turn is taken
   * when the request really leaves (opening S3 can take tens of milliseconds, which Gong's strict second would
   * otherwise see as requests closer together than the limiter admitted them).
   */
  awaitTurn?: GongRequestGate;
}

export interface CreateCallResult {
  callId: string;
  requestId?: string;
  /** The call existed already (an earlier attempt created it); its id came from Gong's duplicate answer. */
  recovered: boolean;
}

export interface UploadMediaResult {
  requestId?: string;
  /** Gong already held media for this call. */
  alreadyHandled: boolean;
}

export interface RequestControl {
  /** Aborts the request (used when a shutdown's grace period runs out). */
  signal?: AbortSignal;
  /** The limiter's lane: imported calls yield every turn to live ones. @defaultValue 'live' */
  lane?: TrafficLane;
  /** An import's share kept from its create for its upload (traffic-lane.ts); ignored in the live lane. */
  reservation?: ImportReservation;
}

export interface GongUser {
  id: string;
  emailAddress?: string;
}

export interface UserPage {
  users: GongUser[];
  /** Present while more pages exist. */
  cursor?: string;
}

export interface GongClient {
  /** One page of `GET /v2/users`. An empty directory (Gong's 404 for empty lists) is an empty page. */
  listUsers(cursor?: string): Promise<UserPage>;
  createCall(body: NewCallRequest, control?: RequestControl): Promise<CreateCallResult>;
  /**
   * Streams the file that `open` gives, called only once the limiter would let the request go (see `awaitTurn`):
   * a recording opened earlier would sit idle while the request waits its turn (and S3 or a vendor's server may
   * close it). The caller owns the stream (it closes it afterwards, also when this throws) and opens a fresh one
   * for every attempt.
   */
  uploadMedia(callId: string, open: () => Promise<StreamedFile>, control?: RequestControl): Promise<UploadMediaResult>;
}

interface GongBody {
  requestId?: string;
  callId?: string | number;
  errors?: unknown;
  users?: Array<{ id?: unknown; emailAddress?: unknown }>;
  records?: { cursor?: string };
}

/**
 * The Gong API client: one got instance, no retries of its own (BullMQ is the only retry layer, and a consumed
 * upload stream cannot be replayed anyway), and errors that carry only what is safe to log.
 */
export function createGongClient(options: GongClientOptions): GongClient {
  if (options.auth.kind === 'oauth' && !options.session) throw new TypeError('an OAuth Gong client needs a session');
  const http = got.extend({
    prefixUrl: `${options.baseUrl.replace(/\/+$/, '')}/`,
    headers: authHeaders(options.auth),
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    timeout: { request: options.requestTimeoutMs ?? 30_000 },
  });
  const observe = options.observe ?? (() => {});
  // One CLIENT span per Gong request (the limiter's wait included, as an event where it lets the request go), named
  // by the path template so that traces group by operation, never by call id.
  const serverAddress = new URL(options.baseUrl).hostname;
  const spanned = <T>(method: string, template: string, work: () => Promise<T>) =>
    inSpan(`${method} ${template}`, { kind: SpanKind.CLIENT, attributes: { [ATTR.httpMethod]: method, [ATTR.urlTemplate]: template, [ATTR.serverAddress]: serverAddress } }, work);
  const gate = options.gate ?? (async () => {});
  const awaitTurn = options.awaitTurn ?? (async () => {});

  type Answer = { status: number; body: GongBody; retryAfter?: string };

  // Asked before the limiter: a tenant that cannot get a token spends no turn of its Gong budget.
  const sender = senderOf(http, options.session);

  async function send(operation: GongOperation, request: (client: Got) => Promise<Response<string>>, signal?: AbortSignal, scope: TrafficScope = {}): Promise<Answer> {
    const via = await sender();
    await gate(operation, signal, scope);
    return exchange(operation, request, via);
  }

  /** One request, timed and observed; a request that gets no answer becomes a GongNetworkError. */
  async function exchange(operation: GongOperation, request: (client: Got) => Promise<Response<string>>, via: GongSender): Promise<Answer> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const span = trace.getActiveSpan();
    span?.addEvent('sent');
    let response: Response<string>;
    try {
      response = await request(via.client);
    } catch (error) {
      observe(operation, 'network', seconds());
      throw new GongNetworkError(operation, networkCode(error), { cause: safeCause(error) });
    }
    observe(operation, response.statusCode, seconds());
    span?.setAttribute(ATTR.httpStatus, response.statusCode);
    const body = parseBody(response.body);
    if (response.statusCode === 401 && via.credentials) {
      // Expired early or revoked at Gong: the session gets a new token (or learns the tenant needs reconnecting).
      options.session?.rejected(via.credentials);
      throw new GongHttpError(operation, 401, messagesOf(body), body.requestId, undefined, true);
    }
    return { status: response.statusCode, body, retryAfter: response.headers['retry-after'] };
  }

  function fail(operation: GongOperation, status: number, body: GongBody, retryAfter?: string): never {
    const retryAfterMs = status === 429 ? parseRetryAfter(retryAfter) : undefined;
    throw new GongHttpError(operation, status, messagesOf(body), body.requestId, retryAfterMs);
  }

  return {
    listUsers: (cursor) => spanned('GET', '/v2/users', async () => {
      const { status, body: answer, retryAfter } = await send('listUsers', (c) => c.get('users', { searchParams: cursor ? { cursor } : {} }));
      if (status === 404) return { users: [] };
      if (status < 200 || status >= 300) return fail('listUsers', status, answer, retryAfter);
      const users = (answer.users ?? [])
        .filter((u) => u.id !== undefined)
        .map((u) => ({ id: String(u.id), emailAddress: typeof u.emailAddress === 'string' ? u.emailAddress : undefined }));
      return { users, cursor: answer.records?.cursor || undefined };
    }),

    createCall: (body, control = {}) => spanned('POST', '/v2/calls', async () => {
      const { status, body: answer, retryAfter } = await send('createCall', (c) => c.post('calls', { json: body, signal: control.signal }), control.signal, { lane: control.lane, reservation: control.reservation });
      const span = trace.getActiveSpan();
      if (status >= 200 && status < 300 && answer.callId !== undefined) {
        span?.setAttribute(ATTR.gongCallId, String(answer.callId));
        return { callId: String(answer.callId), requestId: answer.requestId, recovered: false };
      }
      if (status === 400) {
        const existing = existingCallIdFromDuplicate(messagesOf(answer));
        if (existing) {
          span?.setAttribute(ATTR.gongCallId, existing);
          return { callId: existing, requestId: answer.requestId, recovered: true };
        }
      }
      return fail('createCall', status, answer, retryAfter);
    }),

    uploadMedia: (callId, open, control = {}) => spanned('PUT', '/v2/calls/{id}/media', async () => {
      trace.getActiveSpan()?.setAttribute(ATTR.gongCallId, callId);
      const scope: TrafficScope = { lane: control.lane, ticket: randomUUID(), reservation: control.reservation };
      const via = await sender();
      await awaitTurn('uploadMedia', control.signal, scope);
      // Opened outside exchange(): a storage error stays a storage error, not a Gong one.
      const file = await open();
      trace.getActiveSpan()?.setAttribute(ATTR.bytes, file.size);
      const multipart = multipartFileBody('mediaFile', file);
      await gate('uploadMedia', control.signal, scope);
      const { status, body: answer, retryAfter } = await exchange('uploadMedia', (c) =>
        c.put(`calls/${encodeURIComponent(callId)}/media`, {
          body: multipart.body,
          headers: { 'content-type': multipart.contentType, 'content-length': String(multipart.contentLength) },
          timeout: { request: options.uploadTimeoutMs ?? 1_800_000 },
          signal: control.signal,
        }),
        via,
      );
      if (status >= 200 && status < 300) return { requestId: answer.requestId, alreadyHandled: false };
      if (status === 400 && isMediaAlreadyHandled(messagesOf(answer))) {
        return { requestId: answer.requestId, alreadyHandled: true };
      }
      return fail('uploadMedia', status, answer, retryAfter);
    }),
  };
}

function parseBody(text: string): GongBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as GongBody) : {};
  } catch {
    return { errors: text ? [text.slice(0, 500)] : [] };
  }
}

function messagesOf(body: GongBody): string[] {
  return Array.isArray(body.errors) ? body.errors.map((e) => String(e).slice(0, 1000)) : [];
}

function networkCode(error: unknown): string {
  if (error instanceof RequestError) return error.code;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return 'UNKNOWN';
}

/**
 * got's errors hold the request options, headers included; keep only the name, code and message so the
 * Authorization header can never reach a log line through `cause`.
 */
function safeCause(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const copy = new Error(error.message);
  copy.name = error.name;
  return Object.assign(copy, { code: networkCode(error) });
}
