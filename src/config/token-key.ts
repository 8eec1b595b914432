/**
 * TOKEN_ENCRYPTION_KEY's value: 32 random bytes as base64 (44 characters, e.g. `openssl rand -base64 32`) or hex
 * (64 characters); undefined when it is neither.
 */
export function parseTokenKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}
