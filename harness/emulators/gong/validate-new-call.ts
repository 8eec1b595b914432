/** Fields of POST /v2/calls the emulator reads after validation; the full body is kept as posted. */
export interface NewCall {
  clientUniqueId: string;
  primaryUser: string;
  downloadMediaUrl?: string;
}

export type Validation = { ok: true; call: NewCall } | { ok: false; errors: string[] };

const DIRECTIONS = ['Inbound', 'Outbound', 'Conference', 'Unknown'];
// ISO-8601 date-time that names its offset: Gong refuses a local time it would have to guess the zone of.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
// Deliberately loose (one @, a dot in the domain, no spaces): it catches what is clearly not an email.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks a new-call body the way the live API does (GONG-FACTS.md), collecting every problem so the 400 lists
 * them all, each naming its field.
 */
export function validateNewCall(body: unknown): Validation {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, errors: ['The request body must be a JSON object'] };
  const b = body as Record<string, unknown>;
  const errors: string[] = [];

  if (typeof b.clientUniqueId !== 'string' || b.clientUniqueId.trim() === '') errors.push('clientUniqueId is required and must be a non-empty string');
  else if (b.clientUniqueId.length > 2048) errors.push('clientUniqueId must be at most 2048 characters');

  if (b.actualStart === undefined) errors.push('actualStart is required');
  else if (!isIsoWithOffset(b.actualStart)) errors.push('actualStart must be an ISO-8601 date-time with Z or an offset, e.g. 2026-11-20T10:00:00Z');
  for (const field of ['scheduledStart', 'scheduledEnd'] as const) {
    if (b[field] !== undefined && !isIsoWithOffset(b[field])) errors.push(`${field} must be an ISO-8601 date-time with Z or an offset`);
  }

  if (typeof b.direction !== 'string' || !DIRECTIONS.includes(b.direction)) errors.push(`direction is required and must be one of ${DIRECTIONS.join(', ')}`);

  const primaryUserValid = typeof b.primaryUser === 'string' && /^\d+$/.test(b.primaryUser);
  if (!primaryUserValid) errors.push('primaryUser is required and must be a Gong user id (digits)');

  const parties = Array.isArray(b.parties) ? b.parties : undefined;
  if (!parties || parties.length === 0) errors.push('parties is required and must hold at least one party');
  else {
    parties.forEach((party: unknown, i) => errors.push(...partyErrors(party, i)));
    if (primaryUserValid && !parties.some((p: unknown) => isObject(p) && p.userId === b.primaryUser)) {
      errors.push(`primaryUser ${String(b.primaryUser)} must be one of the parties (a party with that userId)`);
    }
  }

  for (const field of ['purpose', 'disposition'] as const) {
    if (b[field] === undefined) continue;
    if (typeof b[field] !== 'string') errors.push(`${field} must be a string`);
    else if (b[field].length > 255) errors.push(`${field} must be at most 255 characters`);
  }
  for (const field of ['title', 'customData', 'meetingUrl', 'callProviderCode', 'workspaceId', 'languageCode'] as const) {
    if (b[field] !== undefined && typeof b[field] !== 'string') errors.push(`${field} must be a string`);
  }
  if (b.duration !== undefined && !(typeof b.duration === 'number' && Number.isFinite(b.duration) && b.duration >= 0)) {
    errors.push('duration must be a non-negative number of seconds');
  }
  if (b.downloadMediaUrl !== undefined && !isHttpUrl(b.downloadMediaUrl)) errors.push('downloadMediaUrl must be an http or https URL');

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    call: {
      clientUniqueId: b.clientUniqueId as string,
      primaryUser: b.primaryUser as string,
      ...(typeof b.downloadMediaUrl === 'string' ? { downloadMediaUrl: b.downloadMediaUrl } : {}),
    },
  };
}

function partyErrors(party: unknown, index: number): string[] {
  if (!isObject(party)) return [`parties[${index}] must be an object`];
  const errors: string[] = [];
  if (party.emailAddress !== undefined && !(typeof party.emailAddress === 'string' && EMAIL.test(party.emailAddress))) {
    errors.push(`parties[${index}].emailAddress ${JSON.stringify(party.emailAddress)} is not a valid email address`);
  }
  if (party.mediaChannelId !== undefined && party.mediaChannelId !== 0 && party.mediaChannelId !== 1) {
    errors.push(`parties[${index}].mediaChannelId must be 0 (left) or 1 (right)`);
  }
  for (const field of ['phoneNumber', 'name', 'userId', 'partyId'] as const) {
    if (party[field] !== undefined && typeof party[field] !== 'string') errors.push(`parties[${index}].${field} must be a string`);
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoWithOffset(value: unknown): boolean {
  return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
