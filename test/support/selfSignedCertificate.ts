import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CertificateFiles {
  cert: string;
  key: string;
  /** Key and certificate in one file, as a bot certificate is exported from Key Vault. */
  combined: string;
  certPem: string;
}

/**
 * A certificate made by openssl for this test run only (never committed): for 127.0.0.1 when a
 * loopback server must speak https, or as the bot's own certificate.
 */
export function selfSignedCertificate(dir: string, options: { days?: number; commonName?: string } = {}): CertificateFiles {
  mkdirSync(dir, { recursive: true });
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const run = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(options.days ?? 2), '-subj', `/CN=${options.commonName ?? '127.0.0.1'}`, '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`openssl could not make a certificate: ${run.stderr}`);
  const certPem = readFileSync(cert, 'utf8');
  const combined = path.join(dir, 'combined.pem');
  writeFileSync(combined, readFileSync(key, 'utf8') + certPem);
  return { cert, key, combined, certPem };
}
