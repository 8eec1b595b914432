import type { CallDetails, CallDirection, CallParty } from '../../calls/call-details.js';
import { DetailsInvalidError } from '../../calls/details-errors.js';
import type { CompletedDetails } from '../../calls/details-resolver.js';
import type { GenesysRecordingKey } from './genesys-key.js';

type Json = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const firstText = (meta: Json, names: string[]) => names.map((n) => text(meta[n])).find((v) => v !== undefined);

function firstTime(meta: Json, names: string[]): string | undefined {
  for (const name of names) {
    const value = meta[name];
    const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isFinite(time)) return new Date(time).toISOString();
  }
  return undefined;
}

/** Call media types; the export also holds chats, emails, messages and screen recordings, which are not calls. */
const CALL_MEDIA = new Set(['call', 'callback', 'voice', 'audio']);

/**
 * Genesys Cloud's `<recordingId>_metadata.json` as Gong's call fields. The export's schema documents `mediaType`,
 * `mediaSubtype`, `provider` and `userIds` among others; the time and party fields are read under the names the
 * export uses and their common variants, so a field renamed or missing degrades the call (the folder's hour as
 * the start, no customer number) rather than losing it.
 */
export function genesysMetadataCall(meta: Json, key: GenesysRecordingKey): CompletedDetails {
  const mediaType = text(meta.mediaType);
  if (mediaType && !CALL_MEDIA.has(mediaType.toLowerCase())) {
    throw new DetailsInvalidError(`Genesys recording ${key.recordingId} of conversation ${key.conversationId} is a ${mediaType} recording, not a call`);
  }
  const { year, month, day, hour } = key.startHour;
  const folderStart = new Date(Date.UTC(year, month - 1, day, hour)).toISOString();
  const actualStart = firstTime(meta, ['conversationStartTime', 'recordingStartTime', 'startTime', 'conversationStart']) ?? folderStart;
  const end = firstTime(meta, ['conversationEndTime', 'recordingEndTime', 'endTime', 'conversationEnd']);

  const directionText = firstText(meta, ['direction', 'originatingDirection'])?.toLowerCase();
  const direction: CallDirection = directionText === 'inbound' ? 'Inbound' : directionText === 'outbound' ? 'Outbound' : 'Unknown';
  const customerNumber = direction === 'Inbound' ? firstText(meta, ['ani']) : direction === 'Outbound' ? firstText(meta, ['dnis']) : undefined;
  const parties: CallParty[] = customerNumber ? [{ phoneNumber: customerNumber.replace(/^tel:/, '') }] : [];

  const call: CallDetails = { actualStart, direction, parties };
  if (end && Date.parse(end) >= Date.parse(actualStart)) call.duration = (Date.parse(end) - Date.parse(actualStart)) / 1000;
  const userIds = Array.isArray(meta.userIds) ? meta.userIds.filter((u): u is string => typeof u === 'string' && u !== '') : [];
  return { call, rep: userIds.length ? { identities: userIds } : undefined };
}
