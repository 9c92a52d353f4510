// Key Vault for the one secret the managed identity cannot replace: the bearer key a person uses to
// ask the bot to post the weekly digest. The web app reads it through a Key Vault reference, so the
// value never appears in the app's settings, the template's outputs or the deployment history.
import { API_VERSIONS } from './apiVersions';
import type { KeyVaultResource, KeyVaultSecretResource } from './armTemplate';
import { expression } from './expressions';
import { DIGEST_SECRET_NAME, nameOf, resourceIdExpression, variable } from './names';
import { parameter } from './parameters';

export function keyVault(): KeyVaultResource {
  return {
    type: 'Microsoft.KeyVault/vaults',
    apiVersion: API_VERSIONS.keyVault,
    name: nameOf('vault'),
    location: expression(parameter('location')),
    properties: {
      // The vault trusts the tenant its subscription is in: that is where the identity lives.
      tenantId: expression('subscription().tenantId'),
      sku: { family: 'A', name: 'standard' },
      // Azure RBAC decides who may read a secret (see roles.ts); access policies, which grant
      // vault-wide rights outside Azure RBAC, are not used at all.
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      // A deleted secret cannot be purged before its retention ends, even by an administrator.
      enablePurgeProtection: true,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      // The web app resolves its Key Vault reference over the internet (it has no virtual network);
      // reading still needs Key Vault Secrets User on this vault.
      publicNetworkAccess: 'Enabled',
    },
  };
}

export function digestKeySecret(): KeyVaultSecretResource {
  return {
    type: 'Microsoft.KeyVault/vaults/secrets',
    apiVersion: API_VERSIONS.keyVault,
    name: expression(`format('{0}/${DIGEST_SECRET_NAME}', ${variable('vaultName')})`),
    dependsOn: [resourceIdExpression('vault')],
    properties: {
      value: expression(parameter('digestApiKey')),
      contentType: 'Bearer key for POST /api/digest',
    },
  };
}
