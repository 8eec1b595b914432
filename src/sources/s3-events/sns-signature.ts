import { verify, type X509Certificate } from 'node:crypto';
import { snsStringToSign, type SnsMessage } from './sns-message.js';

/**
 * SNS deliveries over HTTP(S) are retried for at most 3,600 seconds (a hard limit of SNS's delivery policy), so a
 * genuine delivery is never older than that; the margin covers clock skew.
 */
export const SNS_MAX_AGE_MS = 3_600_000 + 5 * 60_000;

export type SnsVerification = { ok: true } | { ok: false; problem: string };

/** Checks the message's signature with the signing certificate (RSA-SHA1 for version 1, RSA-SHA256 for 2) and its age. */
export function verifySnsMessage(message: SnsMessage, certificate: X509Certificate, now = Date.now()): SnsVerification {
  const sent = Date.parse(message.Timestamp);
  if (now - sent > SNS_MAX_AGE_MS) return { ok: false, problem: 'the message is older than any SNS retry can be (stale)' };
  if (sent - now > 5 * 60_000) return { ok: false, problem: 'the message is dated in the future' };
  const validFrom = Date.parse(certificate.validFrom);
  const validTo = Date.parse(certificate.validTo);
  if (now < validFrom || now > validTo) return { ok: false, problem: 'the signing certificate is not valid now' };
  const algorithm = message.SignatureVersion === '1' ? 'sha1' : 'sha256';
  const signature = Buffer.from(message.Signature, 'base64');
  const good = verify(algorithm, Buffer.from(snsStringToSign(message), 'utf8'), certificate.publicKey, signature);
  return good ? { ok: true } : { ok: false, problem: 'the signature does not match the message' };
}
