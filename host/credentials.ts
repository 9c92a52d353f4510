import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/core-auth';
import { ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { Config, ConfigError, StorageTarget } from './config';
import { BotAuthSettings } from '../bot/adapter';
import { TableStoreOptions } from '../storage/tableStore';

/**
 * The one place that turns settings into credentials. Everything else receives a TokenCredential
 * (or, for botbuilder, the settings it understands), so no other part knows whether the app runs
 * as a managed identity, with a certificate or with a secret.
 */

/** A certificate file as botbuilder and @azure/identity want it: the key, the certificate and its SHA-1 thumbprint. */
export interface LoadedCertificate {
  readonly pem: string;
  readonly privateKeyPem: string;
  readonly thumbprint: string;
  readonly validTo: Date;
}

/** Reads a PEM file holding the private key and the certificate (the format Key Vault exports). */
export function loadCertificate(file: string, now: Date = new Date()): LoadedCertificate {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`MicrosoftAppCertificatePath: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!certificateBlock) throw new ConfigError(`MicrosoftAppCertificatePath: ${file} holds no PEM certificate`);
  let certificate: X509Certificate;
  let privateKeyPem: string;
  try {
    certificate = new X509Certificate(certificateBlock);
    privateKeyPem = createPrivateKey(pem).export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch {
    throw new ConfigError(`MicrosoftAppCertificatePath: ${file} must hold an unencrypted private key and its certificate, in PEM`);
  }
  if (!certificate.checkPrivateKey(createPrivateKey(privateKeyPem))) {
    throw new ConfigError(`MicrosoftAppCertificatePath: the private key in ${file} does not belong to its certificate`);
  }
  const validTo = new Date(certificate.validTo);
  if (validTo.getTime() <= now.getTime()) throw new ConfigError(`MicrosoftAppCertificatePath: the certificate in ${file} expired on ${validTo.toISOString().slice(0, 10)}`);
  return { pem, privateKeyPem, thumbprint: certificate.fingerprint.replace(/:/g, ''), validTo };
}

/** The settings botbuilder's authentication is made from, with this app's credential in the form it takes. */
export function botAuthSettings(config: Config, certificate: LoadedCertificate | undefined): BotAuthSettings {
  const { appId, appType, tenantId, credential } = config.auth;
  const base = { appId, appType, tenantId };
  let auth: BotAuthSettings['auth'];
  switch (credential.kind) {
    case 'secret':
      auth = { ...base, password: credential.password };
      break;
    case 'certificate':
      if (!certificate) throw new Error('the certificate is loaded before the adapter is made');
      auth = { ...base, certificate: { thumbprint: certificate.thumbprint, privateKeyPem: certificate.privateKeyPem } };
      break;
    default:
      // A managed identity needs nothing more: botbuilder takes its client id from MicrosoftAppId.
      auth = base;
  }
  return { auth, botOpenIdMetadataUrl: config.botOpenIdMetadataUrl, botTokenIssuer: config.botTokenIssuer };
}

/** The certificate named by the settings, read once at start-up; undefined for other credentials. */
export function certificateFor(config: Config): LoadedCertificate | undefined {
  return config.auth.credential.kind === 'certificate' ? loadCertificate(config.auth.credential.path) : undefined;
}

/** The credential for Microsoft Graph (email): the bot's own identity, however it proves it. */
export function graphCredential(config: Config, certificate: LoadedCertificate | undefined): TokenCredential | undefined {
  const { credential, tenantId, appId } = config.auth;
  const options = { authorityHost: config.authorityHost };
  switch (credential.kind) {
    case 'managedIdentity':
      return new ManagedIdentityCredential({ clientId: credential.clientId });
    case 'certificate':
      if (!certificate) throw new Error('the certificate is loaded before the mailer is made');
      return new ClientCertificateCredential(tenantId, appId, { certificate: certificate.pem }, options);
    case 'secret':
      return new ClientSecretCredential(tenantId, appId, credential.password, options);
    default:
      return undefined;
  }
}

/** The app's managed identity (user-assigned when a client id is set), for the MIS's blob drop container. */
export function appIdentityCredential(config: Config): TokenCredential {
  return new ManagedIdentityCredential(config.managedIdentityClientId ? { clientId: config.managedIdentityClientId } : {});
}

/**
 * Table storage: the connection string as given, or the endpoint with the managed identity (never
 * a key). `who: 'operator'` is for the command-line tools run from an IT lead's machine: their own
 * Azure sign-in (`az login`), environment credentials, or the managed identity where there is one.
 */
export function storageOptions(target: StorageTarget, tablePrefix: string | undefined, who: 'app' | 'operator' = 'app'): TableStoreOptions {
  if (target.kind === 'connectionString') return { connectionString: target.connectionString, tablePrefix };
  const credential =
    who === 'operator'
      ? new DefaultAzureCredential(target.clientId ? { managedIdentityClientId: target.clientId } : {})
      : new ManagedIdentityCredential(target.clientId ? { clientId: target.clientId } : {});
  return { endpoint: target.endpoint, credential, tablePrefix };
}
