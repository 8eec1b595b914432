import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (`X-Twilio-Signature`): base64 HMAC-SHA1, keyed with the account's auth token, over
 * the full URL Twilio called followed by every POST parameter's name and value, names sorted, no separators.
 */
export function computeTwilioSignature(authToken: string, url: string, params: ReadonlyArray<readonly [string, string]>): string {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const [name, value] of sorted) hmac.update(`${name}${value}`, 'utf8');
  return hmac.digest('base64');
}

/**
 * The URL with and without its scheme's standard port (`:443`, `:80`): Twilio signs whichever form it was given,
 * and its own validators accept both, so a proxy or a configuration that spells the port differently still matches.
 */
export function urlVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme, authority, rest] = match as unknown as [string, string, string, string];
  const standard = scheme.toLowerCase() === 'https' ? '443' : '80';
  const portMatch = /:(\d+)$/.exec(authority);
  // An explicit non-standard port is part of the URL Twilio called; nothing to vary.
  if (portMatch && portMatch[1] !== standard) return [url];
  const host = portMatch ? authority.slice(0, -portMatch[0].length) : authority;
  return [url, `${scheme}://${host}${rest}`, `${scheme}://${host}:${standard}${rest}`].filter((v, i, all) => all.indexOf(v) === i);
}

/** True when the signature matches the URL (either port spelling) and parameters, compared in constant time. */
export function verifyTwilioSignature(authToken: string, url: string, params: ReadonlyArray<readonly [string, string]>, signature: string | undefined): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature, 'base64');
  let matched = false;
  for (const variant of urlVariants(url)) {
    const expected = Buffer.from(computeTwilioSignature(authToken, variant, params), 'base64');
    // Every variant is computed and compared, so the time taken does not tell which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched;
}
