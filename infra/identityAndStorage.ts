// The bot's user-assigned managed identity, and the storage account that holds everything the app
// remembers. The identity is user-assigned rather than the web app's own so that it exists before
// the web app and the bot, and outlives either being recreated.
import { API_VERSIONS } from './apiVersions';
import type { IdentityResource, StorageAccountResource } from './armTemplate';
import { expression } from './expressions';
import { nameOf } from './names';
import { parameter } from './parameters';

const location = expression(parameter('location'));

export function managedIdentity(): IdentityResource {
  return {
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    apiVersion: API_VERSIONS.userAssignedIdentities,
    name: nameOf('identity'),
    location,
    properties: {},
  };
}

export function storageAccount(): StorageAccountResource {
  return {
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: API_VERSIONS.storageAccounts,
    name: nameOf('storage'),
    location,
    kind: 'StorageV2',
    // Geo-redundant: safeguarding records outlive an outage of one region (the paired region is
    // in the same country for UK regions).
    sku: { name: 'Standard_GRS' },
    properties: {
      minimumTlsVersion: 'TLS1_2',
      supportsHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      // The app signs in with its managed identity; with shared keys off, a leaked account key or
      // SAS cannot be used, because there are none.
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      // Reachable over the internet, because the web app has no virtual network to reach a private
      // endpoint through; every request still needs an Entra ID token for this identity and TLS 1.2.
      publicNetworkAccess: 'Enabled',
      accessTier: 'Hot',
    },
  };
}
