/**
 * The rule for every URL an SNS message names (SigningCertURL, SubscribeURL): https, on a host matching
 * SNS_CERT_HOST_PATTERN (by default `sns.<region>.amazonaws.com`). A message is not yet verified when its
 * certificate URL is used, so without this rule anyone could make the service fetch any address.
 */
export function checkSnsUrl(url: string, hostPattern: RegExp): { ok: true; url: URL } | { ok: false; problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, problem: 'is not a URL' };
  }
  if (parsed.protocol !== 'https:') return { ok: false, problem: 'must be https' };
  if (parsed.username || parsed.password) return { ok: false, problem: 'must not carry credentials' };
  if (!hostPattern.test(parsed.hostname)) return { ok: false, problem: `host ${parsed.hostname} does not match SNS_CERT_HOST_PATTERN` };
  return { ok: true, url: parsed };
}
