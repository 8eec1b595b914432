/**
 * One spelling per identity, so that the map file and the vendors need not agree on formatting: phone numbers
 * lose spaces, dashes, dots and brackets (`+1 (415) 555-0100` → `+14155550100`); everything else (emails,
 * `client:ann`, user names, SIP addresses) is compared without case.
 */
export function normalizeIdentity(identity: string): string {
  const trimmed = identity.trim();
  if (/^\+?[\d\s().-]+$/.test(trimmed) && /\d/.test(trimmed)) {
    return `${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
  }
  return trimmed.toLowerCase();
}
