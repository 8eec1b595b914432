import { X509Certificate } from 'node:crypto';
import { fetchSmallText } from './fetch-small.js';
import { checkSnsUrl } from './sns-urls.js';

/** Fetches and caches SNS signing certificates (SNS rotates them rarely; every message names its own). */
export interface SnsCertificates {
  get(url: string): Promise<X509Certificate>;
}

export class SnsCertificateError extends Error {
  override readonly name = 'SnsCertificateError';
  readonly code = 'SNS_CERTIFICATE';
}

/** @param maxEntries certificates kept at once; the oldest goes first. @defaultValue 20 */
export function createSnsCertificates(hostPattern: RegExp, maxEntries = 20): SnsCertificates {
  const cache = new Map<string, Promise<X509Certificate>>();

  async function load(url: URL): Promise<X509Certificate> {
    const { status, text } = await fetchSmallText(url);
    if (status !== 200) throw new SnsCertificateError(`SigningCertURL answered ${status}`);
    return new X509Certificate(text);
  }

  return {
    get(url) {
      const checked = checkSnsUrl(url, hostPattern);
      if (!checked.ok) return Promise.reject(new SnsCertificateError(`SigningCertURL ${checked.problem}`));
      const key = checked.url.href;
      let entry = cache.get(key);
      if (!entry) {
        entry = load(checked.url);
        // A failed fetch is not remembered: the next delivery tries again.
        entry.catch(() => cache.delete(key));
        cache.set(key, entry);
        if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      }
      return entry;
    },
  };
}
