import type { CallRecord, MediaRecord, Operation, RequestOutcome, RequestRecord } from './types.js';

/** What Gong received, for assertions: the calls with their media, and every /v2 request with its outcome. */
export interface GongLedger {
  /** All calls, oldest first. */
  calls(): CallRecord[];
  call(callId: string): CallRecord | undefined;
  byClientUniqueId(id: string): CallRecord | undefined;
  /** All /v2 requests in the order they were answered (or dropped, or cut). */
  requests(): RequestRecord[];
  /** How many requests match; both filter fields are optional. */
  count(filter?: { op?: Operation; status?: RequestOutcome }): number;
  /** Forgets everything, including which clientUniqueIds and media hashes were seen. */
  reset(): void;
}

/** The ledger as the emulator's handlers see it: the read side plus the writes only they make. */
export interface LedgerStore extends GongLedger {
  addCall(call: CallRecord): void;
  /** Attaches media, which also makes its sha256 known to the same-content check. */
  attachMedia(callId: string, media: MediaRecord): void;
  /** The call that already holds media with this sha256, if any. */
  callIdWithContent(sha256: string): string | undefined;
  /** The call created with this downloadMediaUrl, if any (Gong wants each URL used once). */
  callIdWithDownloadUrl(url: string): string | undefined;
  record(request: RequestRecord): void;
}

/** An in-memory ledger. Gong remembers clientUniqueIds for good; here `reset` is the only way to forget them. */
export function createLedger(): LedgerStore {
  const calls = new Map<string, CallRecord>();
  const byClientId = new Map<string, string>();
  const byContent = new Map<string, string>();
  const byDownloadUrl = new Map<string, string>();
  let requests: RequestRecord[] = [];

  return {
    calls: () => [...calls.values()],
    call: (callId) => calls.get(callId),
    byClientUniqueId(id) {
      const callId = byClientId.get(id);
      return callId === undefined ? undefined : calls.get(callId);
    },
    requests: () => [...requests],
    count(filter = {}) {
      return requests.filter((r) => (filter.op === undefined || r.op === filter.op) && (filter.status === undefined || r.status === filter.status)).length;
    },
    reset() {
      calls.clear();
      byClientId.clear();
      byContent.clear();
      byDownloadUrl.clear();
      requests = [];
    },
    addCall(call) {
      calls.set(call.callId, call);
      byClientId.set(call.clientUniqueId, call.callId);
      const url = call.body.downloadMediaUrl;
      if (typeof url === 'string') byDownloadUrl.set(url, call.callId);
    },
    attachMedia(callId, media) {
      const call = calls.get(callId);
      if (!call) throw new Error(`No call ${callId} to attach media to`);
      call.media = media;
      byContent.set(media.sha256, callId);
    },
    callIdWithContent: (sha256) => byContent.get(sha256),
    callIdWithDownloadUrl: (url) => byDownloadUrl.get(url),
    record(request) {
      requests.push(request);
    },
  };
}
