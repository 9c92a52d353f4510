// The Linux App Service that runs the bot: Node 22 LTS from the deployed package, always on, HTTPS
// only, signed in to Azure as the user-assigned identity and to nothing with a password.
import type { NameValuePair } from '@azure/arm-appservice';
import { API_VERSIONS } from './apiVersions';
import type { AppServicePlanResource, SiteResource } from './armTemplate';
import { expression, format } from './expressions';
import { IDENTITY_CLIENT_ID, digestSecretId, nameOf, referenceTo, resourceIdExpression, variable } from './names';
import { parameter } from './parameters';
import { roleAssignmentId } from './roles';

const location = expression(parameter('location'));

export const NODE_RUNTIME = 'NODE|22-lts';
export const HEALTH_CHECK_PATH = '/healthz';
// The same as scripts/bundle.ts's (a test holds them together): the flag silences one deprecation
// warning from a dependency of restify at every start.
export const START_COMMAND = 'node --disable-warning=DEP0111 dist/host/main.js';

export function appServicePlan(): AppServicePlanResource {
  return {
    type: 'Microsoft.Web/serverfarms',
    apiVersion: API_VERSIONS.appService,
    name: nameOf('plan'),
    location,
    kind: 'linux',
    sku: { name: expression(parameter('appServicePlanSku')) },
    // On a Linux plan `reserved` must be true; without it the plan is a Windows one.
    properties: { reserved: true },
  };
}

/**
 * The app's settings. The names are the ones host/config.ts reads; none holds a password or a key:
 * the bot and the table client sign in as the managed identity, and the one secret is a Key Vault
 * reference the platform resolves with that identity.
 */
export function appSettings(): NameValuePair[] {
  return [
    { name: 'BOT_MODE', value: 'production' },
    { name: 'MicrosoftAppType', value: 'UserAssignedMSI' },
    { name: 'MicrosoftAppId', value: IDENTITY_CLIENT_ID },
    { name: 'MicrosoftAppTenantId', value: expression(parameter('tenantId')) },
    // DefaultAzureCredential picks the user-assigned identity by this id.
    { name: 'AZURE_CLIENT_ID', value: IDENTITY_CLIENT_ID },
    { name: 'AZURE_TABLES_ENDPOINT', value: expression(`${referenceTo('storage')}.primaryEndpoints.table`) },
    // Empty unless the trust gives one; the app treats an empty setting as absent.
    { name: 'TABLE_PREFIX', value: expression(parameter('tablePrefix')) },
    // The tab's single sign-on has its own app registration: a managed identity cannot expose an API.
    { name: 'TAB_APP_ID', value: expression(parameter('tabAppClientId')) },
    { name: 'PUBLIC_BASE_URL', value: expression(format('https://{0}', variable('siteHostName'))) },
    { name: 'DIGEST_API_KEY', value: expression(format('@Microsoft.KeyVault(SecretUri={0})', `reference(${digestSecretId()}, '${API_VERSIONS.keyVault}').secretUri`)) },
    { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: expression(`${referenceTo('component')}.ConnectionString`) },
    // The deployed zip is mounted read-only as the app: what runs is exactly what was built.
    { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' },
    { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' },
    { name: 'WEBSITE_NODE_DEFAULT_VERSION', value: '~22' },
  ];
}

export function webApp(): SiteResource {
  return {
    type: 'Microsoft.Web/sites',
    apiVersion: API_VERSIONS.appService,
    name: nameOf('site'),
    location,
    kind: 'app,linux',
    identity: {
      type: 'UserAssigned',
      userAssignedIdentities: { [resourceIdExpression('identity')]: {} },
    },
    // The settings read the identity, the table endpoint, the secret and the connection string, and
    // the app should start with its roles already granted rather than fail its first requests.
    dependsOn: [
      resourceIdExpression('plan'),
      resourceIdExpression('identity'),
      resourceIdExpression('storage'),
      resourceIdExpression('component'),
      expression(digestSecretId()),
      roleAssignmentId('storageTableDataContributor'),
      roleAssignmentId('keyVaultSecretsUser'),
    ],
    properties: {
      serverFarmId: resourceIdExpression('plan'),
      reserved: true,
      httpsOnly: true,
      // Key Vault references resolve as the user-assigned identity (the app has no system identity).
      keyVaultReferenceIdentity: resourceIdExpression('identity'),
      // Any instance can serve any request (state is in Table Storage), so no sticky sessions.
      clientAffinityEnabled: false,
      publicNetworkAccess: 'Enabled',
      siteConfig: {
        linuxFxVersion: NODE_RUNTIME,
        appCommandLine: START_COMMAND,
        // Jobs run on timers inside the process (jobs/periodic.ts): an idle unload would stop them.
        alwaysOn: true,
        healthCheckPath: HEALTH_CHECK_PATH,
        ftpsState: 'Disabled',
        minTlsVersion: '1.2',
        scmMinTlsVersion: '1.2',
        http20Enabled: true,
        remoteDebuggingEnabled: false,
        appSettings: appSettings(),
      },
    },
  };
}
