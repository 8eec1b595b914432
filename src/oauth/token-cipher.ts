import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seals the tenants' Gong tokens before they reach Redis: AES-256-GCM with a random 96-bit IV per seal, the key's id
 * and the tenant bound in as associated data (a sealed token copied to another tenant's key does not open). The
 * sealed text names the key that sealed it, so TOKEN_ENCRYPTION_KEY can rotate: the new key seals, the old one
 * (TOKEN_ENCRYPTION_KEY_PREVIOUS) still opens, and every token is sealed again with the new key at its next refresh.
 */
export interface TokenCipher {
  seal(plaintext: string, context: string): string;
  /** Throws TokenSealError when no configured key opens it or it was altered. */
  open(sealed: string, context: string): string;
}

/** A sealed token that cannot be opened: altered, for another tenant, or sealed with a key no longer configured. */
export class TokenSealError extends Error {
  override readonly name = 'TokenSealError';
}

const FORMAT = 'v1';

export function createTokenCipher(key: Buffer, previousKey?: Buffer): TokenCipher {
  const keys = new Map<string, Buffer>([[keyId(key), key]]);
  if (previousKey) keys.set(keyId(previousKey), previousKey);
  const current = keyId(key);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${current}:${context}`));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, current, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [format, id = '', iv = '', tag = '', body = ''] = sealed.split('.');
      const k = keys.get(id);
      if (format !== FORMAT || !k) throw new TokenSealError('the stored Gong tokens were sealed with a key that is not configured (TOKEN_ENCRYPTION_KEY, TOKEN_ENCRYPTION_KEY_PREVIOUS)');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(`${id}:${context}`));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new TokenSealError('the stored Gong tokens do not open: altered, or sealed for another tenant', { cause: error });
      }
    },
  };
}

/** A short public name of a key (not the key): which of the configured keys sealed a token. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('gong-ingest token key id:').update(key).digest('base64url').slice(0, 8);
}
