// The resources the template names, how each name is made from the trust's name, and the
// expressions other resources use to point at them. Names that must be unique across Azure (storage,
// Key Vault, the web app's host name, the bot's handle) end in a hash of the resource group, so two
// trusts with similar names never collide and redeploying to the same group keeps the same names.
import { API_VERSIONS } from './apiVersions';
import { expression, format } from './expressions';
import { parameter } from './parameters';

const trust = parameter('trustName');
const groupHash = 'uniqueString(resourceGroup().id)';

export const TEMPLATE_VARIABLES = {
  identityName: expression(format('id-{0}-swbot', trust)),
  storageAccountName: expression(`take(${format('st{0}{1}', trust, groupHash)}, 24)`),
  vaultName: expression(`take(${format('kv-{0}-{1}', trust, groupHash)}, 24)`),
  workspaceName: expression(format('log-{0}-swbot', trust)),
  componentName: expression(format('appi-{0}-swbot', trust)),
  planName: expression(format('plan-{0}-swbot', trust)),
  siteName: expression(format('app-{0}-swbot-{1}', trust, groupHash)),
  // The web app cannot refer to itself while it is created, so its own settings use the host name
  // its name gives it; everything created after it reads the real one back (defaultHostName).
  siteHostName: expression(format('{0}.azurewebsites.net', "variables('siteName')")),
  botName: expression(format('bot-{0}-swbot-{1}', trust, groupHash)),
  actionGroupName: expression(format('ag-{0}-swbot', trust)),
} as const;

export type VariableName = keyof typeof TEMPLATE_VARIABLES;

export function variable(name: VariableName): string {
  return `variables('${name}')`;
}

/** The resources other resources point at: their type, the variable holding the name, the API. */
export const NAMED_RESOURCES = {
  identity: { type: 'Microsoft.ManagedIdentity/userAssignedIdentities', name: 'identityName', apiVersion: API_VERSIONS.userAssignedIdentities },
  storage: { type: 'Microsoft.Storage/storageAccounts', name: 'storageAccountName', apiVersion: API_VERSIONS.storageAccounts },
  vault: { type: 'Microsoft.KeyVault/vaults', name: 'vaultName', apiVersion: API_VERSIONS.keyVault },
  workspace: { type: 'Microsoft.OperationalInsights/workspaces', name: 'workspaceName', apiVersion: API_VERSIONS.workspaces },
  component: { type: 'Microsoft.Insights/components', name: 'componentName', apiVersion: API_VERSIONS.components },
  plan: { type: 'Microsoft.Web/serverfarms', name: 'planName', apiVersion: API_VERSIONS.appService },
  site: { type: 'Microsoft.Web/sites', name: 'siteName', apiVersion: API_VERSIONS.appService },
  bot: { type: 'Microsoft.BotService/botServices', name: 'botName', apiVersion: API_VERSIONS.botService },
  actionGroup: { type: 'Microsoft.Insights/actionGroups', name: 'actionGroupName', apiVersion: API_VERSIONS.actionGroups },
} as const satisfies Record<string, { type: string; name: VariableName; apiVersion: string }>;

export type NamedResource = keyof typeof NAMED_RESOURCES;

/** The digest key's secret in Key Vault. */
export const DIGEST_SECRET_NAME = 'digest-api-key';

/** `[variables('…')]`: a resource's own name field. */
export function nameOf(resource: NamedResource): string {
  return expression(variable(NAMED_RESOURCES[resource].name));
}

/** resourceId(…) for a named resource, for use inside an expression. */
export function idOf(resource: NamedResource): string {
  const { type, name } = NAMED_RESOURCES[resource];
  return `resourceId('${type}', ${variable(name)})`;
}

/** reference(…): the named resource's runtime properties (its endpoints, its ids). */
export function referenceTo(resource: NamedResource): string {
  return `reference(${idOf(resource)}, '${NAMED_RESOURCES[resource].apiVersion}')`;
}

/** The resource id, as a whole expression (for dependsOn and properties that take an id). */
export function resourceIdExpression(resource: NamedResource): string {
  return expression(idOf(resource));
}

/** The digest secret's id: a child of the vault. */
export function digestSecretId(): string {
  return `resourceId('Microsoft.KeyVault/vaults/secrets', ${variable('vaultName')}, '${DIGEST_SECRET_NAME}')`;
}

/** The identity's client (application) id: what the bot and the Azure SDK sign in as. */
export const IDENTITY_CLIENT_ID = expression(`${referenceTo('identity')}.clientId`);

/** The identity's principal (object) id: what role assignments grant to. */
export const IDENTITY_PRINCIPAL_ID = expression(`${referenceTo('identity')}.principalId`);

/** The extension-resource scope of one named resource (what Bicep writes for `scope: resource`). */
export function scopeOf(resource: NamedResource): string {
  return expression(format(`${NAMED_RESOURCES[resource].type}/{0}`, variable(NAMED_RESOURCES[resource].name)));
}
