import { randomInt } from 'node:crypto';
import { gongError, newRequestId, type Answer } from './answers.js';
import type { LedgerStore } from './ledger.js';
import type { CallRecord } from './types.js';
import { validateNewCall } from './validate-new-call.js';

export interface CreateCallOutcome {
  answer: Answer;
  /** The call made, when one was; the caller starts its download after answering. */
  created?: { call: CallRecord; downloadMediaUrl?: string };
}

/**
 * POST /v2/calls, in the live API's order: validation, then the duplicate clientUniqueId (whose text is the only
 * place the existing call id appears), then the per-user import switch, then the one-use downloadMediaUrl.
 * Success is 200, not the spec's 201.
 */
export function createCall(body: unknown, ledger: LedgerStore, importDisabledUsers: readonly string[]): CreateCallOutcome {
  const validation = validateNewCall(body);
  if (!validation.ok) return { answer: gongError(400, validation.errors) };
  const { clientUniqueId, primaryUser, downloadMediaUrl } = validation.call;

  const existing = ledger.byClientUniqueId(clientUniqueId);
  if (existing) return { answer: gongError(400, `clientUniqueId ${clientUniqueId} has already been posted for the call ${existing.callId}`) };
  if (importDisabledUsers.includes(primaryUser)) {
    return { answer: gongError(409, `Recording or telephony call import is not enabled for primaryUser ${primaryUser}`) };
  }
  if (downloadMediaUrl !== undefined) {
    const user = ledger.callIdWithDownloadUrl(downloadMediaUrl);
    if (user !== undefined) return { answer: gongError(400, `downloadMediaUrl must be unique; it was already given for the call ${user}`) };
  }

  const call: CallRecord = { callId: newCallId(ledger), clientUniqueId, body: body as Record<string, unknown>, createdAt: Date.now() };
  ledger.addCall(call);
  return {
    answer: { status: 200, body: { requestId: newRequestId(), callId: call.callId } },
    created: { call, ...(downloadMediaUrl !== undefined ? { downloadMediaUrl } : {}) },
  };
}

/**
 * A 19-digit id like Gong's. Beyond 2^53, so a client that parses it as a JSON number would corrupt it: one more
 * reason the emulator sends it as a string, as Gong does.
 */
function newCallId(ledger: LedgerStore): string {
  for (;;) {
    const id = `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
    if (!ledger.call(id)) return id;
  }
}
