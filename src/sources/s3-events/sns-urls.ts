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
  if (!wholeHost(hostPattern).test(parsed.hostname)) return { ok: false, problem: `host ${parsed.hostname} does not match SNS_CERT_HOST_PATTERN` };
  return { ok: true, url: parsed };
}

/**
 * SNS_CERT_HOST_PATTERN as a RegExp that must match the whole host name. An operator's pattern without `^…$`
 * (`sns\.us-east-1\.amazonaws\.com`) would otherwise also match `sns.us-east-1.amazonaws.com.attacker.net`.
 * The source compiled on its own (the config checks it), so its groups are balanced and cannot close the wrapping
 * group early. Built per check: checks are rare (uncached certificates, subscription confirmations).
 */
function wholeHost(pattern: RegExp): RegExp {
  // No g or y: those make test() stateful (lastIndex), so the same host would pass and fail in turn.
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
}
