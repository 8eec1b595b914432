/** Who the rep is when the source does not know the Gong user id; resolved by the worker (and again on replay). */
export interface RepHints {
  /** A Gong user's email, looked up with GET /v2/users. */
  email?: string;
  /** Vendor-side identities (E.164 numbers, `client:ann`, Connect user names, emails) tried against USER_MAP_FILE. */
  identities?: string[];
}
