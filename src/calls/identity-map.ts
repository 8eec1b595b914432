/** Vendor-side identities (E.164 numbers, `client:ann`, agent user names, emails) to a Gong email or user id. */
export interface IdentityMap {
  lookup(identity: string): string | undefined;
}
