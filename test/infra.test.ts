import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ArmResource, ArmResourceType, ArmTemplate } from '../infra/armTemplate';
import { INVARIANTS, templateProblems, type InvariantName } from '../infra/invariants';
import { PARAMETER_PLACEHOLDERS, parametersFile } from '../infra/parametersFile';
import { resourcesOfType, type ResourceOf } from '../infra/resourceLookup';
import { stableJson } from '../infra/stableJson';
import { azureTemplate } from '../infra/template';

const ROOT = path.resolve(__dirname, '..');
const INFRA = path.join(ROOT, 'infra');
const read = (file: string): string => readFileSync(path.join(INFRA, file), 'utf8');

/** The one resource of a type in a template (the tests break it in place). */
function only<T extends ArmResourceType>(template: ArmTemplate, type: T): ResourceOf<T> {
  const found = resourcesOfType(template, type);
  const [first] = found;
  if (found.length !== 1 || first === undefined) throw new Error(`expected one ${type}, found ${found.length}`);
  return first;
}

function problemsByInvariant(template: ArmTemplate): Partial<Record<InvariantName, string[]>> {
  const result: Partial<Record<InvariantName, string[]>> = {};
  for (const [name, check] of Object.entries(INVARIANTS) as [InvariantName, (t: ArmTemplate) => string[]][]) {
    const problems = check(template);
    if (problems.length > 0) result[name] = problems;
  }
  return result;
}

describe('the generated files', () => {
  test('infra/azure.json is exactly what infra/template.ts generates (run npm run infra after changing it)', () => {
    expect(read('azure.json')).toBe(stableJson(azureTemplate()));
    expect(JSON.parse(read('azure.json'))).toEqual(JSON.parse(JSON.stringify(azureTemplate())));
  });

  test('infra/azure.parameters.json is exactly what the template needs, with placeholders only', () => {
    expect(read('azure.parameters.json')).toBe(stableJson(parametersFile(azureTemplate())));
    const values = Object.values(parametersFile(azureTemplate()).parameters).map((p) => p.value);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(value).toMatch(/^\$\{\{[A-Z_]+\}\}$/);
  });

  test('a placeholder left unreplaced is refused by its parameter before anything is created', () => {
    const { parameters } = azureTemplate();
    for (const name of ['trustName', 'tenantId', 'digestApiKey'] as const) {
      const placeholder = `\${{${PARAMETER_PLACEHOLDERS[name] ?? ''}}}`;
      const { minLength = 0, maxLength = Infinity } = parameters[name] ?? {};
      expect({ name, fits: placeholder.length >= minLength && placeholder.length <= maxLength }).toEqual({ name, fits: false });
    }
  });

  test('the digest key is a secure parameter, and the parameter file names a SECRET_ variable for it, never a value', () => {
    expect(azureTemplate().parameters.digestApiKey?.type).toBe('securestring');
    expect(parametersFile(azureTemplate()).parameters.digestApiKey?.value).toBe('${{SECRET_DIGEST_KEY}}');
  });
});

describe('the template keeps every invariant', () => {
  test('templateProblems finds nothing wrong', () => {
    expect(templateProblems(azureTemplate())).toEqual([]);
  });

  test('every property name is a wire name the official SDK itself serialises (not a client-side alias)', () => {
    const sdk = (pkg: string, file: string): string => path.join(ROOT, 'node_modules', '@azure', pkg, file);
    // Modular SDKs: the keys their *Serializer functions write. Older ones: their mappers' serializedName.
    const serialised = (file: string): Set<string> => {
      const keys = new Set<string>();
      for (const [, body = ''] of readFileSync(file, 'utf8').matchAll(/function \w*Serializer\(\w*\) \{\n {2}return \{([\s\S]*?)\n {2}\};\n\}/g)) {
        for (const [, key = ''] of body.matchAll(/^ {4}(\w+|"[^"]+"):/gm)) keys.add(key.replaceAll('"', ''));
      }
      return keys;
    };
    // A literal dot in a wire name (odata.type) is escaped in the mappers; a bare dot means nesting.
    const mapped = (file: string): Set<string> =>
      new Set([...readFileSync(file, 'utf8').matchAll(/serializedName: "([^"]+)"/g)].map(([, name = '']) => (name.split(/(?<!\\)\./).pop() ?? '').replace(/\\+\./g, '.')));
    const storage = serialised(sdk('arm-storage', 'dist/commonjs/models/models.js'));
    const appService = serialised(sdk('arm-appservice', 'dist/commonjs/models/models.js'));
    const keyVault = serialised(sdk('arm-keyvault', 'dist/commonjs/models/models.js'));
    const monitor = mapped(sdk('arm-monitor', 'dist/index.js'));
    const bot = mapped(sdk('arm-botservice', 'dist/index.js'));
    // The one field the installed Application Insights SDK predates (see infra/apiVersions.ts).
    const insights = new Set([...mapped(sdk('arm-appinsights', 'esm/models/mappers.js')), 'WorkspaceResourceId']);
    const wireNames: Record<ArmResourceType, Set<string>> = {
      'Microsoft.ManagedIdentity/userAssignedIdentities': mapped(sdk('arm-msi', 'dist/commonjs/models/mappers.js')),
      'Microsoft.Storage/storageAccounts': storage,
      'Microsoft.Authorization/roleAssignments': mapped(sdk('arm-authorization', 'dist/index.js')),
      'Microsoft.KeyVault/vaults': keyVault,
      'Microsoft.KeyVault/vaults/secrets': keyVault,
      'Microsoft.OperationalInsights/workspaces': mapped(sdk('arm-operationalinsights', 'dist/index.js')),
      'Microsoft.Insights/components': insights,
      'Microsoft.Web/serverfarms': appService,
      'Microsoft.Web/sites': appService,
      'Microsoft.BotService/botServices': bot,
      'Microsoft.BotService/botServices/channels': bot,
      'Microsoft.Insights/actionGroups': monitor,
      'Microsoft.Insights/metricAlerts': monitor,
      'Microsoft.Insights/scheduledQueryRules': monitor,
    };
    const keysIn = (value: unknown): string[] =>
      Array.isArray(value)
        ? value.flatMap(keysIn)
        : value !== null && typeof value === 'object'
          ? Object.entries(value).flatMap(([key, inner]) => (key.startsWith('[') ? keysIn(inner) : [key, ...keysIn(inner)]))
          : [];
    const unknown = azureTemplate().resources.flatMap((resource: ArmResource) => {
      const body = { properties: resource.properties, ...('sku' in resource ? { sku: resource.sku } : {}), ...('identity' in resource ? { identity: resource.identity } : {}) };
      return keysIn(body)
        .filter((key) => !['properties', 'sku', 'identity'].includes(key) && !wireNames[resource.type].has(key))
        .map((key) => `${resource.type}: ${key}`);
    });
    expect(unknown).toEqual([]);
  });
});

describe('each invariant notices when it is broken, and only that one does', () => {
  const cases: [InvariantName, string, (t: ArmTemplate) => void, RegExp][] = [
    ['httpsOnly', 'httpsOnly off', (t) => void (only(t, 'Microsoft.Web/sites').properties.httpsOnly = false), /httpsOnly: true/],
    ['httpsOnly', 'TLS 1.0 allowed', (t) => void (only(t, 'Microsoft.Web/sites').properties.siteConfig.minTlsVersion = '1.0'), /minTlsVersion must be 1\.2/],
    ['ftpsDisabled', 'FTP allowed', (t) => void (only(t, 'Microsoft.Web/sites').properties.siteConfig.ftpsState = 'AllAllowed'), /ftpsState must be Disabled/],
    ['alwaysOnAndHealthCheck', 'Always On off', (t) => void (only(t, 'Microsoft.Web/sites').properties.siteConfig.alwaysOn = false), /Always On/],
    ['alwaysOnAndHealthCheck', 'no health check', (t) => void delete only(t, 'Microsoft.Web/sites').properties.siteConfig.healthCheckPath, /healthCheckPath must be \/healthz/],
    ['node22RunFromPackage', 'Node 20', (t) => void (only(t, 'Microsoft.Web/sites').properties.siteConfig.linuxFxVersion = 'NODE|20-lts'), /NODE\|22-lts/],
    [
      'node22RunFromPackage',
      'not run from the package',
      (t) => {
        const setting = only(t, 'Microsoft.Web/sites').properties.siteConfig.appSettings?.find((s) => s.name === 'WEBSITE_RUN_FROM_PACKAGE');
        if (setting) setting.value = '0';
      },
      /WEBSITE_RUN_FROM_PACKAGE must be 1/,
    ],
    ['identityAssignedToSiteAndBot', 'web app without the identity', (t) => void Reflect.deleteProperty(only(t, 'Microsoft.Web/sites'), 'identity'), /managed identity assigned/],
    ['identityAssignedToSiteAndBot', 'bot without the identity', (t) => void delete only(t, 'Microsoft.BotService/botServices').properties.msaAppMSIResourceId, /msaAppMSIResourceId/],
    ['storageHardened', 'shared keys on', (t) => void (only(t, 'Microsoft.Storage/storageAccounts').properties.allowSharedKeyAccess = true), /allowSharedKeyAccess: false/],
    ['storageHardened', 'TLS 1.0 storage', (t) => void (only(t, 'Microsoft.Storage/storageAccounts').properties.minimumTlsVersion = 'TLS1_0'), /TLS 1\.2/],
    ['storageHardened', 'public blobs', (t) => void (only(t, 'Microsoft.Storage/storageAccounts').properties.allowBlobPublicAccess = true), /public blob access/],
    [
      'leastPrivilegeRoles',
      'table role at resource-group scope',
      (t) => {
        const [assignment] = resourcesOfType(t, 'Microsoft.Authorization/roleAssignments');
        if (assignment) assignment.scope = '[resourceGroup().id]';
      },
      /Storage Table Data Contributor must be scoped to its own Microsoft\.Storage\/storageAccounts and nothing wider \(it is scoped to \[resourceGroup\(\)\.id\]\)/,
    ],
    [
      'leastPrivilegeRoles',
      'Contributor granted',
      (t) => {
        const [assignment] = resourcesOfType(t, 'Microsoft.Authorization/roleAssignments');
        if (assignment) assignment.properties.roleDefinitionId = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]";
      },
      /grants b24988ac-6180-42a0-ab88-20f7382dd24c, which is not one of the two roles/,
    ],
    [
      'leastPrivilegeRoles',
      'secrets role scoped to the storage account',
      (t) => {
        const assignments = resourcesOfType(t, 'Microsoft.Authorization/roleAssignments');
        const [tables, secrets] = assignments;
        if (tables && secrets) secrets.scope = tables.scope;
      },
      /Key Vault Secrets User must be scoped to its own Microsoft\.KeyVault\/vaults/,
    ],
    [
      'noSecretsInOutputsOrSettings',
      'an output with listKeys()',
      (t) => {
        t.outputs.STORAGE_KEYS = { type: 'string', value: "[listKeys(resourceId('Microsoft.Storage/storageAccounts', variables('storageAccountName')), '2025-08-01').keys[0].value]" };
      },
      /the output STORAGE_KEYS calls a list…\(\) function/,
    ],
    [
      'noSecretsInOutputsOrSettings',
      'an output exposing the digest key',
      (t) => {
        t.outputs.DIGEST = { type: 'string', value: "[parameters('digestApiKey')]" };
      },
      /the output DIGEST exposes the secure parameter digestApiKey/,
    ],
    [
      'noSecretsInOutputsOrSettings',
      'an app password in the settings',
      (t) => void only(t, 'Microsoft.Web/sites').properties.siteConfig.appSettings?.push({ name: 'MicrosoftAppPassword', value: 'hunter2hunter2hunter2' }),
      /MicrosoftAppPassword looks like a secret and must be a Key Vault reference/,
    ],
    [
      'noSecretsInOutputsOrSettings',
      'a storage connection string with its key',
      (t) => void only(t, 'Microsoft.Web/sites').properties.siteConfig.appSettings?.push({ name: 'AZURE_TABLES_CONNECTION_STRING', value: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==' }),
      /AZURE_TABLES_CONNECTION_STRING holds a storage account key/,
    ],
    [
      'keyVaultRbacNoAccessPolicies',
      'an access policy',
      (t) =>
        void (only(t, 'Microsoft.KeyVault/vaults').properties.accessPolicies = [
          { tenantId: '[subscription().tenantId]', objectId: '00000000-0000-0000-0000-000000000000', permissions: { secrets: ['get', 'list'] } },
        ]),
      /no access policies/,
    ],
    ['keyVaultRbacNoAccessPolicies', 'RBAC off', (t) => void (only(t, 'Microsoft.KeyVault/vaults').properties.enableRbacAuthorization = false), /Azure RBAC/],
    [
      'alertsPresent',
      'the digest alert deleted',
      (t) => {
        t.resources = t.resources.filter((r) => !(r.type === 'Microsoft.Insights/scheduledQueryRules' && r.properties.source.query?.includes('swbot.digest.runs')));
      },
      /for a digest that did not post/,
    ],
    [
      'alertsPresent',
      'the audit alert watching the wrong metric',
      (t) => {
        for (const rule of resourcesOfType(t, 'Microsoft.Insights/scheduledQueryRules')) rule.properties.source.query = rule.properties.source.query?.replace('swbot.job.runs', 'swbot.jobs');
      },
      /for the audit chain check failing/,
    ],
    ['alertsPresent', 'the health alert not wired to the action group', (t) => void (only(t, 'Microsoft.Insights/metricAlerts').properties.actions = []), /when the health check fails/],
    [
      'alertsPresent',
      'the failed-notifications alert not wired to the action group',
      (t) => {
        for (const rule of resourcesOfType(t, 'Microsoft.Insights/scheduledQueryRules')) {
          if (rule.properties.source.query?.includes('swbot.notifications.failed')) rule.properties.action.aznsAction = { actionGroup: [] };
        }
      },
      /for notifications failing/,
    ],
    ['botUsesManagedIdentityAndTeams', 'a multi-tenant bot with a password', (t) => void (only(t, 'Microsoft.BotService/botServices').properties.msaAppType = 'MultiTenant'), /msaAppType UserAssignedMSI, not MultiTenant/],
    [
      'botUsesManagedIdentityAndTeams',
      'no Teams channel',
      (t) => {
        t.resources = t.resources.filter((r) => r.type !== 'Microsoft.BotService/botServices/channels');
      },
      /Microsoft Teams channel/,
    ],
  ];

  test('every invariant has at least one case here', () => {
    expect(new Set(cases.map(([name]) => name))).toEqual(new Set(Object.keys(INVARIANTS)));
  });

  test.each(cases)('%s notices: %s', (name, _what, breakIt, message) => {
    const template = structuredClone(azureTemplate());
    breakIt(template);
    const byInvariant = problemsByInvariant(template);
    expect(Object.keys(byInvariant)).toEqual([name]);
    expect(byInvariant[name]).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    expect(templateProblems(template)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${name}: `))]));
  });
});

describe('the Agents Toolkit project file (infra/m365agents.yml)', () => {
  interface Step {
    uses: string;
    name?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    writeToEnvironmentFile?: Record<string, string>;
  }
  const project = parse(read('m365agents.yml')) as { version: string; environmentFolderPath: string; provision: Step[]; deploy: Step[] };
  const steps = [...project.provision, ...project.deploy];

  /** What npm scripts build, which the project file may name before they exist. */
  const BUILT_BY: Record<string, string> = {
    'appPackage/build/appPackage.zip': 'package',
    'build/bundle': 'bundle',
    'build/bundle.zip': 'bundle',
  };

  test('has a schema version, provision and deploy', () => {
    expect(project.version).toMatch(/^v1\.\d+$/);
    expect(project.provision.length).toBeGreaterThan(0);
    expect(project.deploy.length).toBeGreaterThan(0);
  });

  test('uses only real toolkit actions, in the order that makes each value exist before it is read', () => {
    const known = ['aadApp/create', 'aadApp/update', 'teamsApp/create', 'teamsApp/update', 'teamsApp/validateAppPackage', 'arm/deploy', 'cli/runNpmCommand', 'azureAppService/zipDeploy'];
    for (const step of steps) expect(known).toContain(step.uses);
    const order = project.provision.map((s) => s.uses);
    expect(order.indexOf('aadApp/create')).toBeLessThan(order.indexOf('arm/deploy'));
    expect(order.indexOf('arm/deploy')).toBeLessThan(order.indexOf('aadApp/update'));
    expect(order.indexOf('teamsApp/create')).toBeLessThan(order.indexOf('teamsApp/update'));
  });

  test('deploys the generated JSON template (no Bicep), and the tab app registration without a client secret', () => {
    const arm = project.provision.find((s) => s.uses === 'arm/deploy');
    expect(arm?.with?.templates).toEqual([expect.objectContaining({ path: './azure.json', parameters: './azure.parameters.json' })]);
    expect(arm?.with).not.toHaveProperty('bicepCliVersion');
    const aad = project.provision.find((s) => s.uses === 'aadApp/create');
    expect(aad?.with?.generateClientSecret).toBe(false);
    expect(aad?.writeToEnvironmentFile).not.toHaveProperty('clientSecret');
  });

  test('every file it reads exists, or is built by an npm script run earlier in the same stage', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const problems: string[] = [];
    expect(existsSync(path.join(INFRA, project.environmentFolderPath))).toBe(true);
    for (const stage of [project.provision, project.deploy]) {
      stage.forEach((step, index) => {
        const w = step.with ?? {};
        const base = path.resolve(INFRA, typeof w.workingDirectory === 'string' ? w.workingDirectory : '.');
        const templates = Array.isArray(w.templates) ? (w.templates as { path: string; parameters?: string }[]) : [];
        const inputs = [
          ...['manifestPath', 'appPackagePath', 'artifactFolder', 'ignoreFile'].map((key) => w[key]).filter((v): v is string => typeof v === 'string').map((v) => path.resolve(base, v)),
          ...templates.flatMap((t) => [t.path, t.parameters ?? t.path]).map((v) => path.resolve(INFRA, v)),
        ];
        if (!existsSync(base)) problems.push(`${step.uses}: working directory ${base} is missing`);
        for (const file of inputs) {
          const relative = path.relative(ROOT, file).split(path.sep).join('/');
          const script = BUILT_BY[relative];
          if (script === undefined) {
            if (!existsSync(file)) problems.push(`${step.uses}: ${relative} does not exist`);
            continue;
          }
          const builtEarlier = stage.slice(0, index).some((s) => s.uses === 'cli/runNpmCommand' && s.with?.args === `run ${script}`);
          if (!builtEarlier || scripts[script] === undefined) problems.push(`${step.uses}: ${relative} is built by npm run ${script}, which must exist and run earlier in the stage`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  test('every ${{VARIABLE}} it, the Entra manifest or the parameter file reads is set before it is read', () => {
    const envFile = read(path.join(project.environmentFolderPath, '.env.dev'));
    const defined = new Set([
      ...[...envFile.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map(([, name = '']) => name),
      ...steps.flatMap((s) => Object.values(s.writeToEnvironmentFile ?? {})),
      ...Object.keys(azureTemplate().outputs).map((name) => name.toUpperCase()),
      // Generated by aadApp/update when the manifest names it and the environment does not have it.
      'AAD_APP_ACCESS_AS_USER_PERMISSION_ID',
    ]);
    const used = ['m365agents.yml', 'aad.manifest.json', 'azure.parameters.json'].flatMap((file) => [...read(file).matchAll(/\$\{\{([A-Z0-9_]+)\}\}/g)].map(([, name = '']) => name));
    // SECRET_ values live in the .user file, which is never committed.
    expect(used.filter((name) => !defined.has(name) && !name.startsWith('SECRET_'))).toEqual([]);
  });
});

describe('the Entra app registration for the tab (infra/aad.manifest.json)', () => {
  const manifest = JSON.parse(read('aad.manifest.json')) as {
    signInAudience: string;
    identifierUris: string[];
    api: {
      requestedAccessTokenVersion: number;
      oauth2PermissionScopes: { id: string; value: string; type: string; isEnabled: boolean; adminConsentDescription: string; userConsentDescription: string }[];
      preAuthorizedApplications: { appId: string; delegatedPermissionIds: string[] }[];
    };
    requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
    passwordCredentials?: unknown[];
    keyCredentials?: unknown[];
  };
  const scope = manifest.api.oauth2PermissionScopes.find((s) => s.value === 'access_as_user');

  test('exposes access_as_user on api://<tab host>/<client id>, for users to consent to', () => {
    expect(manifest.identifierUris).toEqual(['api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}']);
    expect(scope).toMatchObject({ type: 'User', isEnabled: true });
    expect(scope?.adminConsentDescription).toMatch(/\w/);
    expect(scope?.userConsentDescription).toMatch(/\w/);
  });

  test('pre-authorises Teams desktop and mobile, and Teams on the web, for that scope', () => {
    for (const teams of ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346']) {
      expect(manifest.api.preAuthorizedApplications).toContainEqual({ appId: teams, delegatedPermissionIds: [scope?.id] });
    }
  });

  test('is single-tenant, takes v2 tokens, asks only for User.Read, and has no password or certificate', () => {
    expect(manifest.signInAudience).toBe('AzureADMyOrg');
    expect(manifest.api.requestedAccessTokenVersion).toBe(2);
    expect(manifest.requiredResourceAccess).toEqual([{ resourceAppId: 'Microsoft Graph', resourceAccess: [{ id: 'User.Read', type: 'Scope' }] }]);
    expect(manifest.passwordCredentials ?? []).toEqual([]);
    expect(manifest.keyCredentials ?? []).toEqual([]);
  });
});

describe('the Exchange mail scope script (infra/exchange-mail-scope.ps1)', () => {
  // What runs, without the help text and comments (which name the legacy cmdlet to warn against it).
  const code = read('exchange-mail-scope.ps1')
    .replace(/<#[\s\S]*?#>/g, '')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#') || line.startsWith('#Requires'))
    .join('\n');

  test('grants Application Mail.Send through RBAC for Applications, limited to a custom resource scope on the mailbox', () => {
    expect(code).toMatch(/#Requires -Modules ExchangeOnlineManagement/);
    expect(code).toMatch(/New-ServicePrincipal -AppId .* -ObjectId /);
    expect(code).toMatch(/New-ManagementScope -Name .* -RecipientRestrictionFilter /);
    expect(code).toMatch(/New-ManagementRoleAssignment .*-Role "Application Mail\.Send".* -CustomResourceScope /);
    expect(code).toMatch(/Test-ServicePrincipalAuthorization -Identity .* -Resource \$MailboxAddress/);
  });

  test('does not use application access policies', () => {
    expect(code).not.toMatch(/ApplicationAccessPolicy/i);
  });
});
