import type { IncomingMessage, ServerResponse } from 'node:http';
import { gongError } from './answers.js';
import { isAuthorized } from './auth.js';
import type { EmulatorContext } from './context.js';
import { createCall } from './create-call.js';
import { openExchange, type Exchange } from './exchange.js';
import { readJsonBody } from './json-body.js';
import { uploadMedia } from './media-upload.js';
import type { Operation, RequestRecord } from './types.js';
import { listUsers } from './users.js';

/** The /v2 routes the emulator serves; anything else under /v2 is 'other' and gets a 404. */
export function operationOf(method: string, path: string): { op: Operation; callId?: string } {
  if (method === 'POST' && path === '/v2/calls') return { op: 'createCall' };
  if (method === 'GET' && path === '/v2/users') return { op: 'listUsers' };
  const media = /^\/v2\/calls\/([^/]+)\/media$/.exec(path);
  if (method === 'PUT' && media) return { op: 'uploadMedia', callId: decodeURIComponent(media[1]!) };
  return { op: 'other' };
}

/**
 * One /v2 request, in Gong's order: authentication, then the rate limits (before any work), then planned
 * faults (failNext answers without doing anything; dropResponseNext lets the work happen and loses the answer),
 * then the operation itself.
 */
export async function handleGongRequest(req: IncomingMessage, res: ServerResponse, context: EmulatorContext): Promise<void> {
  const { options, limiter, faults, ledger, events } = context;
  const path = new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
  const { op, callId } = operationOf(req.method ?? 'GET', path);
  const exchange = openExchange(req, res, op, (record: RequestRecord) => {
    ledger.record(record);
    events.emit('request', record);
  });

  if (!isAuthorized(req.headers.authorization, options, (token) => context.oauth.acceptsAccessToken(token))) {
    // An OAuth token of another company (or an expired one) is unknown here: Gong says it has been revoked.
    const bearer = /^bearer\s/i.test(req.headers.authorization ?? '');
    return exchange.reply(gongError(401, bearer ? 'access token has been revoked or has expired' : 'Unauthorized: send Basic base64(accessKey:accessKeySecret) or a Bearer token'));
  }
  const decision = limiter.admit();
  if (!decision.allowed) return exchange.reply(gongError(429, decision.message, { 'retry-after': String(decision.retryAfterSeconds) }));
  const failure = faults.takeFailure(op);
  if (failure !== undefined) {
    const { status, retryAfterSeconds } = failure;
    return exchange.reply(gongError(status, `Injected failure: ${status} (planned with failNext)`, status === 429 ? { 'retry-after': String(retryAfterSeconds) } : undefined));
  }
  exchange.dropAnswer = faults.takeDrop(op);

  try {
    await perform(exchange, context, op, callId);
  } catch (error) {
    // An emulator bug must show up as a loud 500 in the test, not as a hung request.
    exchange.reply(gongError(500, `Gong emulator error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
  }
}

async function perform(exchange: Exchange, context: EmulatorContext, op: Operation, callId: string | undefined): Promise<void> {
  const { options, ledger, events, downloads } = context;
  switch (op) {
    case 'createCall': {
      const body = await readJsonBody(exchange.req);
      if (body.kind === 'aborted') return;
      if (body.kind === 'invalid') return exchange.reply(gongError(400, body.message));
      const { answer, created } = createCall(body.value, ledger, options.importDisabledUsers);
      if (created) events.emit('call-created', created.call);
      exchange.reply(answer);
      // Gong answers first and fetches the media afterwards.
      if (created?.downloadMediaUrl !== undefined) downloads.start(created.call, created.downloadMediaUrl);
      return;
    }
    case 'uploadMedia':
      return uploadMedia(exchange, context, callId!);
    case 'listUsers':
      return exchange.reply(listUsers(exchange.url, options.users, options.usersPageSize));
    case 'other':
      return exchange.reply(gongError(404, `No such endpoint: ${exchange.req.method ?? ''} ${exchange.url.pathname}`));
  }
}
