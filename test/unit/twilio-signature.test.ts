import { computeTwilioSignature, urlVariants, verifyTwilioSignature } from '../../src/sources/twilio/twilio-signature.js';

/** The test vector of twilio-node's spec/validation.spec.js. */
const TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS: Array<[string, string]> = [
  ['CallSid', 'CA1234567890ABCDE'],
  ['Caller', '+14158675309'],
  ['Digits', '1234'],
  ['From', '+14158675309'],
  ['To', '+18005551212'],
];
const EXPECTED = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('Twilio request signatures', () => {
  it("computes twilio-node's test vector", () => {
    expect(computeTwilioSignature(TOKEN, URL, PARAMS)).toBe(EXPECTED);
  });

  it('sorts parameters by name, whatever order they arrived in', () => {
    expect(computeTwilioSignature(TOKEN, URL, [...PARAMS].reverse())).toBe(EXPECTED);
  });

  it('accepts the URL with and without the standard port, as Twilio does', () => {
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, EXPECTED)).toBe(true);
    expect(verifyTwilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS, EXPECTED)).toBe(true);
    const signedWithPort = computeTwilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS);
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, signedWithPort)).toBe(true);
    expect(urlVariants('http://example.com/x')).toEqual(['http://example.com/x', 'http://example.com:80/x']);
  });

  it('does not vary a non-standard port', () => {
    expect(urlVariants('https://example.com:8443/x')).toEqual(['https://example.com:8443/x']);
  });

  it('refuses another token, URL, parameter value or a missing signature', () => {
    expect(verifyTwilioSignature('54321', URL, PARAMS, EXPECTED)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, 'https://mycompany.com/myapp.php?foo=1&bar=3', PARAMS, EXPECTED)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, [...PARAMS.slice(1), ['CallSid', 'CA0']], EXPECTED)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, undefined)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, PARAMS, 'not base64 at all')).toBe(false);
  });
});
