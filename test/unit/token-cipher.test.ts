import { randomBytes } from 'node:crypto';
import { createTokenCipher, TokenSealError } from '../../src/oauth/token-cipher.js';
import { parseTokenKey } from '../../src/config/token-key.js';
import { OAuthStateError, signState, stateKeyOf, verifyState } from '../../src/oauth/oauth-state.js';

describe('token cipher', () => {
  const key = randomBytes(32);
  const tokens = JSON.stringify({ accessToken: 'at-secret', refreshToken: 'rt-secret' });

  it('when tokens are sealed, then the sealed text holds none of them and opens to the same text', () => {
    const cipher = createTokenCipher(key);
    const sealed = cipher.seal(tokens, 'acme');
    expect(sealed).not.toContain('secret');
    expect(cipher.open(sealed, 'acme')).toBe(tokens);
    expect(cipher.seal(tokens, 'acme')).not.toBe(sealed);
  });

  it("when a sealed value is opened as another tenant's, altered, or with an unknown key, then it refuses", () => {
    const sealed = createTokenCipher(key).seal(tokens, 'acme');
    expect(() => createTokenCipher(key).open(sealed, 'beta')).toThrow(TokenSealError);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('x'.repeat(20)).toString('base64url');
    expect(() => createTokenCipher(key).open(parts.join('.'), 'acme')).toThrow(TokenSealError);
    expect(() => createTokenCipher(randomBytes(32)).open(sealed, 'acme')).toThrow(/not configured/);
  });

  it('when the key rotates, then the previous key still opens old values and the new key seals', () => {
    const old = createTokenCipher(key).seal(tokens, 'acme');
    const next = randomBytes(32);
    const rotated = createTokenCipher(next, key);
    expect(rotated.open(old, 'acme')).toBe(tokens);
    expect(createTokenCipher(next).open(rotated.seal(tokens, 'acme'), 'acme')).toBe(tokens);
  });

  it.each([
    ['base64', randomBytes(32).toString('base64'), true],
    ['hex', randomBytes(32).toString('hex'), true],
    ['16 bytes', randomBytes(16).toString('base64'), false],
    ['a passphrase', 'correct horse battery staple correct horse!!', false],
  ])('when TOKEN_ENCRYPTION_KEY is %s, then it is %s a key', (_label, text, valid) => {
    expect(parseTokenKey(text as string) !== undefined).toBe(valid);
  });
});

describe('OAuth state', () => {
  const key = randomBytes(32);

  it('when states are signed, then the key is derived from the token key, not the sealing key itself', () => {
    const tokenKey = randomBytes(32);
    const { state } = signState('acme', stateKeyOf(tokenKey));
    expect(stateKeyOf(tokenKey).equals(tokenKey)).toBe(false);
    expect(() => verifyState(state, tokenKey)).toThrow(OAuthStateError);
    expect(verifyState(state, stateKeyOf(tokenKey)).tenant).toBe('acme');
  });

  it('when a state is signed, then it verifies to its tenant and nonce', () => {
    const { state, nonce } = signState('acme', key);
    expect(verifyState(state, key)).toMatchObject({ tenant: 'acme', nonce });
  });

  it('when a state names another tenant, is signed with another key, or has expired, then it is refused', () => {
    const { state } = signState('acme', key, 0);
    expect(() => verifyState(state, key, 1)).not.toThrow();
    expect(() => verifyState(state, key, 11 * 60_000)).toThrow(/expired/);
    expect(() => verifyState(state, randomBytes(32), 1)).toThrow(OAuthStateError);
    const [body, mac] = state.split('.');
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), tenant: 'beta' })).toString('base64url');
    expect(() => verifyState(`${other}.${mac}`, key, 1)).toThrow(OAuthStateError);
    expect(() => verifyState('garbage', key, 1)).toThrow(OAuthStateError);
  });
});
