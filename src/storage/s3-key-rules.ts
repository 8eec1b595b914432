/**
 * What an S3 object key and bucket name must be before the service reads them. Pure, and shared by intake (which
 * answers 400) and the S3 reader (which fails an old job for good): one rule in both places.
 */

/** S3's own limit on a key, in bytes of UTF-8. */
export const MAX_S3_KEY_BYTES = 1024;

/** C0 controls, DEL and C1 controls: invisible in logs and consoles, and mangled by some proxies. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why the key cannot be read safely, or undefined. A `.` or `..` segment is refused because the SDK sends it as
 * is and s3rver and some proxies resolve it: `recordings` + `../secret/x.wav` would read bucket `secret`. A
 * backslash counts as a separator here, as some proxies treat it as one.
 */
export function s3KeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  if (!key.isWellFormed()) return 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)';
  if (Buffer.byteLength(key, 'utf8') > MAX_S3_KEY_BYTES) return `must be at most ${MAX_S3_KEY_BYTES} bytes of UTF-8 (S3's limit)`;
  if (CONTROL.test(key)) return 'must not hold control characters';
  if (key.split(/[/\\]/).some((segment) => segment === '.' || segment === '..')) return 'must not have . or .. path segments';
  return undefined;
}

/**
 * S3's bucket naming rules, including the names us-east-1 allowed before 2018 (upper case, underscores, up to 255
 * characters), since such buckets still exist and may be in S3_ALLOWED_BUCKETS: letters, digits, dots, hyphens and
 * underscores, starting and ending with a letter or digit, no `..`, not an IP address. Anything else (a slash, a
 * dot segment, a control character) is no bucket any S3 store holds.
 */
export function bucketNameProblem(bucket: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/.test(bucket)) {
    return 'must be an S3 bucket name: 3-255 letters, digits, dots, hyphens or underscores, starting and ending with a letter or digit';
  }
  if (bucket.includes('..')) return 'must not hold ".."';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return 'must not look like an IP address';
  return undefined;
}
