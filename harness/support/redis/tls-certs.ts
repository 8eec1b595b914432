import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files made at test time: a CA, a server certificate for 127.0.0.1 and a client certificate, both signed by it. */
export interface TlsFiles {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The same files' contents, for ioredis clients in the test. */
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** A second CA that signed none of these: the "wrong CA" a misconfigured deployment would mount. */
  otherCaCert: string;
  remove(): Promise<void>;
}

/** Makes the certificates with the openssl binary (EC P-256 keys: fast to generate on a loaded machine). */
export async function makeTlsFiles(): Promise<TlsFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-tls-'));
  const p = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const key = (name: string) => ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p(name));
  try {
    await Promise.all([key('ca.key'), key('other-ca.key'), key('server.key'), key('client.key')]);
    await ssl('req', '-x509', '-new', '-key', p('ca.key'), '-sha256', '-days', '2', '-subj', '/CN=gong-ingest test CA', '-out', p('ca.crt'));
    await ssl('req', '-x509', '-new', '-key', p('other-ca.key'), '-sha256', '-days', '2', '-subj', '/CN=some other CA', '-out', p('other-ca.crt'));
    await writeFile(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
    await writeFile(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const who of ['server', 'client']) {
      await ssl('req', '-new', '-key', p(`${who}.key`), '-subj', `/CN=gong-ingest test ${who}`, '-out', p(`${who}.csr`));
      await ssl('x509', '-req', '-in', p(`${who}.csr`), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-sha256', '-extfile', p(`${who}.ext`), '-out', p(`${who}.crt`));
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const [caPem, clientCertPem, clientKeyPem] = await Promise.all([readFile(p('ca.crt'), 'utf8'), readFile(p('client.crt'), 'utf8'), readFile(p('client.key'), 'utf8')]);
  return {
    dir,
    caCert: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    caPem,
    clientCertPem,
    clientKeyPem,
    otherCaCert: p('other-ca.crt'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
