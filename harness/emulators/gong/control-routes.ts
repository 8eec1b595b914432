import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './answers.js';
import type { EmulatorContext } from './context.js';
import { readJsonBody } from './json-body.js';
import { patchOptions, type GongEmulatorOptions } from './options.js';
import type { Operation } from './types.js';

/** Path prefix of the control API: outside /v2, no auth, not recorded in the ledger (it is not Gong traffic). */
export const CONTROL_PREFIX = '/__emulator/';

interface FaultRequest {
  action?: unknown;
  op?: Operation;
  status?: number;
  times?: number;
  afterBytes?: number;
  retryAfterSeconds?: number;
}

/**
 * The ledger and faults for tests and benchmarks in other processes (the emulator started by the CLI):
 * GET ledger, POST faults, POST configure, POST reset.
 */
export async function handleControlRequest(req: IncomingMessage, res: ServerResponse, context: EmulatorContext): Promise<void> {
  const { ledger, faults, limiter, options } = context;
  const route = `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://emulator.invalid').pathname.slice(CONTROL_PREFIX.length)}`;
  const ok = (body: unknown = { ok: true }) => sendJson(res, { status: 200, body });
  const bad = (status: number, message: string) => sendJson(res, { status, body: { errors: [message] } });

  if (route === 'GET ledger') return ok({ calls: ledger.calls(), requests: ledger.requests() });
  if (route === 'POST reset') {
    ledger.reset();
    faults.clear();
    limiter.reset();
    return ok();
  }
  if (route !== 'POST faults' && route !== 'POST configure') return bad(404, `No control route ${route}`);

  const body = await readJsonBody(req);
  if (body.kind === 'aborted') return;
  if (body.kind === 'invalid') return bad(400, body.message);
  if (typeof body.value !== 'object' || body.value === null) return bad(400, 'The body must be a JSON object');
  try {
    if (route === 'POST configure') patchOptions(options, body.value as Partial<GongEmulatorOptions>);
    else planFault(context, body.value as FaultRequest);
  } catch (error) {
    return bad(400, error instanceof Error ? error.message : String(error));
  }
  return ok();
}

function planFault({ faults }: EmulatorContext, request: FaultRequest): void {
  const { action, op, status, times, afterBytes, retryAfterSeconds } = request;
  const need = (): Operation => {
    if (op === undefined) throw new Error(`${String(action)} needs op`);
    return op;
  };
  switch (action) {
    case 'failNext':
      return faults.failNext(need(), { status, times, retryAfterSeconds });
    case 'dropResponseNext':
      return faults.dropResponseNext(need(), { times });
    case 'cutUploadNext':
      return faults.cutUploadNext({ afterBytes, times });
    default:
      throw new Error(`action must be failNext, dropResponseNext or cutUploadNext, got ${JSON.stringify(action)}`);
  }
}
