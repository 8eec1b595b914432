/**
 * The records the emulator keeps about what reached it. Tests assert on these (what Gong received), not only on
 * what the client was told, so they are plain data that survive JSON (the HTTP ledger endpoint serves them).
 */

/** The Gong operations the service uses; everything else is 'other'. */
export type Operation = 'createCall' | 'uploadMedia' | 'listUsers' | 'other';

/**
 * How a request ended: the HTTP status answered, 'dropped' (work done, socket destroyed instead of answering) or
 * 'cut' (connection destroyed part-way through a media body). A client that hung up before its answer is 499.
 */
export type RequestOutcome = number | 'dropped' | 'cut';

/** One request to a /v2 route. */
export interface RequestRecord {
  op: Operation;
  method: string;
  /** The URL path without the query string. */
  path: string;
  status: RequestOutcome;
  /** ms since the epoch when the request arrived. */
  at: number;
}

/** The media Gong holds for a call: counted and hashed as it streamed in, never kept. */
export interface MediaRecord {
  bytes: number;
  sha256: string;
  fileName: string;
  contentType: string;
  /** 'upload': PUT /v2/calls/{id}/media; 'download': Gong fetched the call's downloadMediaUrl. */
  via: 'upload' | 'download';
}

/** A call created by POST /v2/calls. */
export interface CallRecord {
  callId: string;
  clientUniqueId: string;
  /** The JSON body exactly as posted. */
  body: Record<string, unknown>;
  media?: MediaRecord;
  createdAt: number;
}

/** Payload of the 'upload-progress' event: file bytes received so far (multipart framing excluded). */
export interface UploadProgress {
  callId: string;
  bytesReceived: number;
}

/** Payload of the 'media-failed' event: Gong could not fetch a call's downloadMediaUrl. */
export interface MediaFailure {
  callId: string;
  reason: string;
}
