import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate and its key, as PEM text and as files (for NODE_EXTRA_CA_CERTS). */
export interface TestCertificate {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

export interface TestCertificates {
  /** The TLS certificate of the https stand-ins (localhost, 127.0.0.1): the service trusts it via NODE_EXTRA_CA_CERTS. */
  tls: TestCertificate;
  /** The stand-in SNS's signing certificate, served at its SigningCertURL. */
  signing: TestCertificate;
  remove(): void;
}

function makeCertificate(dir: string, name: string, subject: string, san?: string): TestCertificate {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.pem`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', subject,
    '-keyout', keyPath, '-out', certPath, ...(san ? ['-addext', `subjectAltName=${san}`] : []),
  ], { stdio: 'ignore' });
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
}

/** Fresh certificates made with the openssl command, in a temporary folder removed by `remove`. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'test-certs-'));
  return {
    tls: makeCertificate(dir, 'tls', '/CN=localhost', 'DNS:localhost,IP:127.0.0.1'),
    signing: makeCertificate(dir, 'sns-signing', '/CN=sns.test.amazonaws.com'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
