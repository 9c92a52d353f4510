// What must hold of the deployment whatever else changes. CI cannot run a Bicep compiler or deploy,
// so these checks are what can fail: `npm run infra` refuses to write a template that breaks one,
// and test/infra.test.ts breaks each in turn to show it is noticed. Each check reads the template
// as Resource Manager would, and reports problems in words an IT lead can act on.
import type { ArmTemplate, SiteResource } from './armTemplate';
import { idExpression, idInner, innerExpression, isReferenceTo, onlyResource, resourcesOfType } from './resourceLookup';

type Check = (template: ArmTemplate) => string[];

const WEB_APP = 'web app';

function withSite(template: ArmTemplate, check: (site: SiteResource) => string[]): string[] {
  const found = onlyResource(template, 'Microsoft.Web/sites', WEB_APP);
  return 'problem' in found ? [found.problem] : check(found.resource);
}

function setting(site: SiteResource, name: string): string | undefined {
  return site.properties.siteConfig.appSettings?.find((pair) => pair.name === name)?.value;
}

function expectSetting(site: SiteResource, name: string, expected: string, why: string): string[] {
  const actual = setting(site, name);
  return actual === expected ? [] : [`the app setting ${name} must be ${expected} (${why}); it is ${actual ?? 'missing'}`];
}

export const httpsOnly: Check = (template) =>
  withSite(template, (site) => [
    ...(site.properties.httpsOnly === true ? [] : ['the web app must set httpsOnly: true, so plain HTTP is redirected and never served']),
    ...(site.properties.siteConfig.minTlsVersion === '1.2' ? [] : [`the web app's minTlsVersion must be 1.2 (it is ${site.properties.siteConfig.minTlsVersion ?? 'unset'})`]),
    ...(setting(site, 'PUBLIC_BASE_URL')?.includes('https://') === true ? [] : ['PUBLIC_BASE_URL must be an https:// address']),
  ]);

export const ftpsDisabled: Check = (template) =>
  withSite(template, (site) =>
    site.properties.siteConfig.ftpsState === 'Disabled'
      ? []
      : [`the web app's ftpsState must be Disabled (it is ${site.properties.siteConfig.ftpsState ?? 'unset, which allows FTP'}): deployment is by zip, never FTP`],
  );

export const alwaysOnAndHealthCheck: Check = (template) =>
  withSite(template, (site) => [
    ...(site.properties.siteConfig.alwaysOn === true ? [] : ['the web app must be Always On: the reminders and the digest run on timers inside the process']),
    ...(site.properties.siteConfig.healthCheckPath === '/healthz'
      ? []
      : [`the web app's healthCheckPath must be /healthz (it is ${site.properties.siteConfig.healthCheckPath ?? 'unset'}), so a failing instance is taken out of rotation`]),
  ]);

export const node22RunFromPackage: Check = (template) => {
  const plan = onlyResource(template, 'Microsoft.Web/serverfarms', 'App Service plan');
  return [
    ...('problem' in plan ? [plan.problem] : plan.resource.properties.reserved === true ? [] : ['the App Service plan must be Linux (reserved: true)']),
    ...withSite(template, (site) => [
      ...(site.properties.siteConfig.linuxFxVersion === 'NODE|22-lts' ? [] : [`the web app must run NODE|22-lts (it runs ${site.properties.siteConfig.linuxFxVersion ?? 'nothing set'})`]),
      ...(site.kind.split(',').includes('linux') ? [] : [`the web app's kind must include linux (it is ${site.kind})`]),
      ...expectSetting(site, 'WEBSITE_RUN_FROM_PACKAGE', '1', 'run the deployed zip as it was built'),
      ...expectSetting(site, 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'false', 'never build on the server'),
    ]),
  ];
};

export const identityAssignedToSiteAndBot: Check = (template) => {
  const identity = onlyResource(template, 'Microsoft.ManagedIdentity/userAssignedIdentities', 'user-assigned managed identity');
  if ('problem' in identity) return [identity.problem];
  const identityId = idExpression(identity.resource);
  const bot = onlyResource(template, 'Microsoft.BotService/botServices', 'Azure Bot');
  return [
    ...withSite(template, (site) => [
      ...(site.identity?.type === 'UserAssigned' && site.identity.userAssignedIdentities?.[identityId] !== undefined
        ? []
        : ['the web app must have the managed identity assigned (identity type UserAssigned, with the identity)']),
      ...(site.properties.keyVaultReferenceIdentity === identityId ? [] : ['the web app must resolve Key Vault references as the managed identity (keyVaultReferenceIdentity)']),
      ...(['MicrosoftAppId', 'AZURE_CLIENT_ID'] as const).flatMap((name) =>
        isReferenceTo(setting(site, name), identity.resource, 'clientId') ? [] : [`the app setting ${name} must be the managed identity's client id`],
      ),
    ]),
    ...('problem' in bot ? [bot.problem] : bot.resource.properties.msaAppMSIResourceId === identityId ? [] : ['the Azure Bot must name the managed identity (msaAppMSIResourceId)']),
  ];
};

export const storageHardened: Check = (template) => {
  const accounts = resourcesOfType(template, 'Microsoft.Storage/storageAccounts');
  if (accounts.length === 0) return ['there is no storage account'];
  return accounts.flatMap(({ properties: p }) => [
    ...(p.minimumTlsVersion === 'TLS1_2' ? [] : [`the storage account must require TLS 1.2 (minimumTlsVersion is ${p.minimumTlsVersion ?? 'unset'})`]),
    ...(p.allowSharedKeyAccess === false ? [] : ['the storage account must turn shared-key access off (allowSharedKeyAccess: false): the app signs in with its identity']),
    ...(p.supportsHttpsTrafficOnly === true ? [] : ['the storage account must accept HTTPS only (supportsHttpsTrafficOnly: true)']),
    ...(p.allowBlobPublicAccess === false ? [] : ['the storage account must forbid public blob access (allowBlobPublicAccess: false)']),
  ]);
};

/** The roles the identity may hold, and the one resource type each may be granted on. */
const ALLOWED_ROLES: Record<string, { role: string; on: 'Microsoft.Storage/storageAccounts' | 'Microsoft.KeyVault/vaults' }> = {
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': { role: 'Storage Table Data Contributor', on: 'Microsoft.Storage/storageAccounts' },
  '4633458b-17de-408a-b874-0445c86b69e6': { role: 'Key Vault Secrets User', on: 'Microsoft.KeyVault/vaults' },
};

export const leastPrivilegeRoles: Check = (template) => {
  const identity = onlyResource(template, 'Microsoft.ManagedIdentity/userAssignedIdentities', 'user-assigned managed identity');
  if ('problem' in identity) return [identity.problem];
  const assignments = resourcesOfType(template, 'Microsoft.Authorization/roleAssignments');
  const problems = assignments.flatMap((assignment) => {
    const roleId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(assignment.properties.roleDefinitionId)?.[0]?.toLowerCase();
    const allowed = roleId === undefined ? undefined : ALLOWED_ROLES[roleId];
    if (allowed === undefined) return [`a role assignment grants ${roleId ?? assignment.properties.roleDefinitionId}, which is not one of the two roles the app needs`];
    const targets = template.resources.filter((resource) => resource.type === allowed.on);
    const ownScopes = targets.flatMap((target) => [`[format('${allowed.on}/{0}', ${innerExpression(target.name)})]`, `[${idInner(target)}]`]);
    const scope = assignment.scope;
    return [
      ...(/resourceGroup\(|subscription\(|managementGroup\(|tenant\(/i.test(scope) || !ownScopes.includes(scope)
        ? [`${allowed.role} must be scoped to its own ${allowed.on} and nothing wider (it is scoped to ${scope})`]
        : []),
      ...(assignment.properties.principalType === 'ServicePrincipal' ? [] : [`${allowed.role} must be granted with principalType ServicePrincipal`]),
      ...(isReferenceTo(assignment.properties.principalId, identity.resource, 'principalId') ? [] : [`${allowed.role} must be granted to the managed identity and no one else`]),
    ];
  });
  const missing = Object.entries(ALLOWED_ROLES)
    .filter(([id]) => !assignments.some((assignment) => assignment.properties.roleDefinitionId.toLowerCase().includes(id)))
    .map(([, { role }]) => `the managed identity must hold ${role}, or the app cannot work`);
  return [...problems, ...missing];
};

const SECRET_LIKE_NAME = /password|secret|key/i;
const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(|'@Microsoft\.KeyVault\(SecretUri=/;

function secretProblems(where: string, value: string, secureParameters: string[]): string[] {
  return [
    ...(/\blist[A-Za-z]*\(/.test(value) ? [`${where} calls a list…() function, which returns keys or secrets`] : []),
    ...(/AccountKey=/i.test(value) ? [`${where} holds a storage account key`] : []),
    ...secureParameters.filter((name) => value.includes(`parameters('${name}')`)).map((name) => `${where} exposes the secure parameter ${name}`),
  ];
}

export const noSecretsInOutputsOrSettings: Check = (template) => {
  const secureParameters = Object.entries(template.parameters)
    .filter(([, definition]) => definition.type === 'securestring')
    .map(([name]) => name);
  const outputs = Object.entries(template.outputs).flatMap(([name, output]) => [
    ...secretProblems(`the output ${name}`, output.value, secureParameters),
    ...(SECRET_LIKE_NAME.test(name) ? [`the output ${name} looks like a secret; deployment outputs are readable by anyone who can read the deployment`] : []),
  ]);
  const settings = resourcesOfType(template, 'Microsoft.Web/sites').flatMap((site) => [
    ...(site.properties.siteConfig.appSettings ?? []).flatMap(({ name = '', value = '' }) => [
      ...secretProblems(`the app setting ${name}`, value, secureParameters),
      ...(SECRET_LIKE_NAME.test(name) && !KEY_VAULT_REFERENCE.test(value) ? [`the app setting ${name} looks like a secret and must be a Key Vault reference`] : []),
    ]),
    ...(site.properties.siteConfig.connectionStrings ?? []).flatMap(({ name = '', connectionString = '' }) =>
      KEY_VAULT_REFERENCE.test(connectionString) ? [] : [`the connection string ${name} must be a Key Vault reference, or better, not exist`],
    ),
  ]);
  return [...outputs, ...settings];
};

export const keyVaultRbacNoAccessPolicies: Check = (template) => {
  const vaults = resourcesOfType(template, 'Microsoft.KeyVault/vaults');
  if (vaults.length === 0) return ['there is no Key Vault'];
  return vaults.flatMap(({ properties: p }) => [
    ...(p.enableRbacAuthorization === true ? [] : ['the Key Vault must use Azure RBAC (enableRbacAuthorization: true)']),
    ...((p.accessPolicies ?? []).length === 0 ? [] : ['the Key Vault must have no access policies: they grant vault-wide rights outside Azure RBAC']),
    ...(p.enableSoftDelete === true ? [] : ['the Key Vault must keep soft delete on']),
    ...(p.enablePurgeProtection === true ? [] : ['the Key Vault must have purge protection on']),
  ]);
};

/** The log alerts the operator needs, by what each must look for (the app's metric names). */
const REQUIRED_LOG_ALERTS = [
  { what: 'notifications failing', mustContain: ['name == "swbot.notifications.failed"', 'sum(', '> 0'], overMinutes: 15 },
  { what: 'notifications waiting too long', mustContain: ['name == "swbot.outbox.oldest_pending_age_seconds"', 'max(', '> 1800'], overMinutes: 15 },
  { what: 'a digest that did not post', mustContain: ['name == "swbot.digest.runs"', 'tostring(customDimensions["outcome"]) != "posted"'], overMinutes: 1440 },
  {
    what: 'the audit chain check failing',
    mustContain: ['name == "swbot.job.runs"', 'tostring(customDimensions["job"]) == "auditVerify"', 'tostring(customDimensions["outcome"]) == "failed"'],
    overMinutes: 1440,
  },
];

export const alertsPresent: Check = (template) => {
  const group = onlyResource(template, 'Microsoft.Insights/actionGroups', 'action group');
  if ('problem' in group) return [group.problem];
  const groupId = idExpression(group.resource);
  const emailsOperator = group.resource.properties.enabled === true && (group.resource.properties.emailReceivers ?? []).some((r) => r.emailAddress === "[parameters('operatorEmail')]");
  const component = onlyResource(template, 'Microsoft.Insights/components', 'Application Insights component');
  const site = onlyResource(template, 'Microsoft.Web/sites', WEB_APP);
  const healthAlert = resourcesOfType(template, 'Microsoft.Insights/metricAlerts').some(
    ({ properties: p }) =>
      p.enabled &&
      p.windowSize === 'PT5M' &&
      'resource' in site &&
      p.scopes.includes(idExpression(site.resource)) &&
      (p.actions ?? []).some((action) => action.actionGroupId === groupId) &&
      p.criteria.allOf.some((c) => c.metricName === 'HealthCheckStatus' && c.operator === 'LessThan' && c.threshold === 100 && c.timeAggregation === 'Average'),
  );
  const logAlerts = resourcesOfType(template, 'Microsoft.Insights/scheduledQueryRules');
  const missingLogAlerts = REQUIRED_LOG_ALERTS.filter(
    (required) =>
      !logAlerts.some(
        ({ properties: p }) =>
          p.enabled === 'true' &&
          'resource' in component &&
          p.source.dataSourceId === idExpression(component.resource) &&
          required.mustContain.every((fragment) => p.source.query?.includes(fragment) === true) &&
          p.schedule?.timeWindowInMinutes === required.overMinutes &&
          p.action.trigger.thresholdOperator === 'GreaterThan' &&
          p.action.trigger.threshold === 0 &&
          (p.action.aznsAction?.actionGroup ?? []).includes(groupId),
      ),
  );
  return [
    ...(emailsOperator ? [] : ['the action group must be enabled and email the operator (parameters(\'operatorEmail\'))']),
    ...(healthAlert ? [] : ['there must be an alert, emailed to the operator, when the health check fails (HealthCheckStatus below 100 on average over 5 minutes)']),
    ...missingLogAlerts.map(
      ({ what, overMinutes }) => `there must be an alert, emailed to the operator, for ${what} (an Application Insights query over ${overMinutes} minutes)`,
    ),
  ];
};

export const botUsesManagedIdentityAndTeams: Check = (template) => {
  const bot = onlyResource(template, 'Microsoft.BotService/botServices', 'Azure Bot');
  const identity = onlyResource(template, 'Microsoft.ManagedIdentity/userAssignedIdentities', 'user-assigned managed identity');
  if ('problem' in bot) return [bot.problem];
  if ('problem' in identity) return [identity.problem];
  const p = bot.resource.properties;
  const channels = resourcesOfType(template, 'Microsoft.BotService/botServices/channels').filter(({ properties }) => properties.channelName === 'MsTeamsChannel');
  return [
    ...(bot.resource.kind === 'azurebot' ? [] : [`the bot must be an Azure Bot (kind azurebot, not ${bot.resource.kind})`]),
    ...(p.msaAppType === 'UserAssignedMSI' ? [] : [`the bot must sign in as the user-assigned managed identity (msaAppType UserAssignedMSI, not ${p.msaAppType ?? 'unset'}): no app password`]),
    ...(isReferenceTo(p.msaAppId, identity.resource, 'clientId') ? [] : ['the bot\'s msaAppId must be the managed identity\'s client id']),
    ...(p.msaAppTenantId === "[parameters('tenantId')]" ? [] : ['the bot\'s msaAppTenantId must be the trust\'s tenant (parameters(\'tenantId\'))']),
    ...(p.endpoint?.includes('https://') === true && p.endpoint.includes('/api/messages') ? [] : ['the bot\'s messaging endpoint must be https://…/api/messages']),
    ...(channels.length === 1 && channels[0]?.properties.properties?.isEnabled === true && channels[0].properties.properties.enableCalling === false
      ? []
      : ['the bot must have the Microsoft Teams channel, enabled, with calling off']),
    ...withSite(template, (site) => expectSetting(site, 'MicrosoftAppType', 'UserAssignedMSI', 'the app signs in as the managed identity')),
  ];
};

export const INVARIANTS = {
  httpsOnly,
  ftpsDisabled,
  alwaysOnAndHealthCheck,
  node22RunFromPackage,
  identityAssignedToSiteAndBot,
  storageHardened,
  leastPrivilegeRoles,
  noSecretsInOutputsOrSettings,
  keyVaultRbacNoAccessPolicies,
  alertsPresent,
  botUsesManagedIdentityAndTeams,
} satisfies Record<string, Check>;

export type InvariantName = keyof typeof INVARIANTS;

/** Every problem with the template, each prefixed with the invariant it breaks. Empty means deployable. */
export function templateProblems(template: ArmTemplate): string[] {
  return Object.entries(INVARIANTS).flatMap(([name, check]) => check(template).map((problem) => `${name}: ${problem}`));
}
