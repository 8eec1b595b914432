import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type Answer } from './answers.js';
import type { Operation, RequestOutcome, RequestRecord } from './types.js';

/** One /v2 request and its response, recorded in the ledger exactly once however it ends. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly op: Operation;
  /** Set when the dropResponseNext fault applies: the work is done, the answer is never sent. */
  dropAnswer: boolean;
  /** True once the outcome is known (answered, dropped, cut, or the client went away). */
  readonly settled: boolean;
  reply(answer: Answer): void;
  /** Destroys the connection mid-body (the cutUploadNext fault). */
  cut(): void;
}

/**
 * Wraps a request so that every way it can end lands in the ledger: an answer (its status), a dropped answer,
 * a cut upload, or a client that hung up first (499, nginx's "client closed request": Gong's own logs are not
 * visible, and tests need to tell this apart from the emulator's own faults).
 */
export function openExchange(req: IncomingMessage, res: ServerResponse, op: Operation, record: (r: RequestRecord) => void): Exchange {
  const at = Date.now();
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  let settled = false;

  const settle = (status: RequestOutcome): void => {
    settled = true;
    record({ op, method: req.method ?? 'GET', path: url.pathname, status, at });
  };

  res.once('close', () => {
    if (!settled && !res.writableFinished) settle(499);
  });

  const exchange: Exchange = {
    req,
    url,
    op,
    dropAnswer: false,
    get settled() {
      return settled;
    },
    reply(answer) {
      if (settled) return;
      if (res.destroyed) return settle(499);
      if (exchange.dropAnswer) {
        settle('dropped');
        res.destroy();
        return;
      }
      settle(answer.status);
      sendJson(res, answer);
    },
    cut() {
      if (settled) return;
      settle('cut');
      res.destroy();
    },
  };
  return exchange;
}
