import type { CallDetails } from '../calls/call-details.js';

/** The JSON body of `POST /v2/calls`. */
export type NewCallRequest = CallDetails & { clientUniqueId: string; downloadMediaUrl?: string };

/**
 * Builds Gong's request from the job. Only defined fields are sent: Gong treats an empty field differently from
 * a missing one, and `languageCode` in particular should be set only when known.
 */
export function toNewCallRequest(clientUniqueId: string, call: CallDetails, downloadMediaUrl?: string): NewCallRequest {
  const body: NewCallRequest = { clientUniqueId, ...call };
  if (downloadMediaUrl !== undefined) body.downloadMediaUrl = downloadMediaUrl;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as NewCallRequest;
}
