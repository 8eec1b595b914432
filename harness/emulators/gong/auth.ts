import { timingSafeEqual } from 'node:crypto';

/** The credentials accepted, read live so `configure` can rotate them. */
export interface Credentials {
  accessKey: string;
  accessKeySecret: string;
  bearerToken: string;
}

/** `Basic base64(accessKey:accessKeySecret)` for the given credentials. */
export function basicHeader(credentials: Pick<Credentials, 'accessKey' | 'accessKeySecret'>): string {
  return `Basic ${Buffer.from(`${credentials.accessKey}:${credentials.accessKeySecret}`).toString('base64')}`;
}

/** Gong takes either an access key pair (Basic) or a token (Bearer: the fixed one, or one its OAuth flow issued) on every call. */
export function isAuthorized(header: string | undefined, credentials: Credentials, issuedToken: (token: string) => boolean = () => false): boolean {
  if (!header) return false;
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) return sameText(value, basicHeader(credentials).slice('Basic '.length));
  if (/^bearer$/i.test(scheme)) return sameText(value, credentials.bearerToken) || issuedToken(value);
  return false;
}

// Constant-time, so the emulator is no worse an example than the code it tests.
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
