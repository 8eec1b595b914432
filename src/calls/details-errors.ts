/** The call's metadata has not arrived yet (a sidecar file, a contact record): retry with backoff. */
export class DetailsPendingError extends Error {
  override readonly name = 'DetailsPendingError';
  readonly code = 'DETAILS_PENDING';
}

/** The call's metadata exists but cannot become a Gong call (missing start time, unreadable file...). */
export class DetailsInvalidError extends Error {
  override readonly name = 'DetailsInvalidError';
  readonly code = 'DETAILS_INVALID';
}

/** No Gong user could be found for the rep. Permanent until the user map or Gong's users change; then replay. */
export class UnknownRepError extends Error {
  override readonly name = 'UnknownRepError';
  readonly code = 'UNKNOWN_REP';
}
