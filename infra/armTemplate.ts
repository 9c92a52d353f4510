// The shape of the deployment template, with every resource's body typed by the official Azure SDK
// models (@azure/arm-*), so a misspelt property or a value of the wrong kind fails `tsc` rather than a
// deployment. Values that depend on other resources are ARM expressions, which are strings.
import type { ApplicationInsightsManagementModels } from '@azure/arm-appinsights';
import type { ManagedServiceIdentity, Site, SiteConfig, AppServicePlan, SkuDescription } from '@azure/arm-appservice';
import type { RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import type { Bot, BotProperties, MsTeamsChannel } from '@azure/arm-botservice';
import type { SecretCreateOrUpdateParameters, VaultCreateOrUpdateParameters } from '@azure/arm-keyvault';
import type {
  ActionGroupResource,
  AlertingAction,
  LogSearchRuleResource,
  MetricAlertResource,
  MetricAlertSingleResourceMultipleMetricCriteria,
  MetricCriteria,
} from '@azure/arm-monitor';
import type { Identity } from '@azure/arm-msi';
import type { Workspace } from '@azure/arm-operationalinsights';
import type { StorageAccountCreateParameters } from '@azure/arm-storage';
import type { PropertiesOf, Renamed, WithoutIndex } from './sdkShapes';

type ApplicationInsightsComponent = ApplicationInsightsManagementModels.ApplicationInsightsComponent;

/** What every resource in a template carries besides its body. */
interface Envelope<Type extends string> {
  type: Type;
  apiVersion: string;
  name: string;
  location?: string;
  dependsOn?: string[];
}

export type IdentityResource = Envelope<'Microsoft.ManagedIdentity/userAssignedIdentities'> & {
  properties: PropertiesOf<Identity>;
};

/** The storage account's properties under their wire names (the SDK renames two of them). */
export type StorageAccountProperties = Renamed<
  PropertiesOf<StorageAccountCreateParameters>,
  { enableHttpsTrafficOnly: 'supportsHttpsTrafficOnly'; networkRuleSet: 'networkAcls' }
>;

export type StorageAccountResource = Envelope<'Microsoft.Storage/storageAccounts'> & {
  kind: StorageAccountCreateParameters['kind'];
  sku: StorageAccountCreateParameters['sku'];
  properties: StorageAccountProperties;
};

/** A role assignment is an extension resource: `scope` names the one resource it applies to. */
export type RoleAssignmentResource = Envelope<'Microsoft.Authorization/roleAssignments'> & {
  scope: string;
  properties: Omit<RoleAssignmentCreateParameters, 'scope'>;
};

export type KeyVaultResource = Envelope<'Microsoft.KeyVault/vaults'> & {
  properties: VaultCreateOrUpdateParameters['properties'];
};

export type KeyVaultSecretResource = Envelope<'Microsoft.KeyVault/vaults/secrets'> & {
  properties: SecretCreateOrUpdateParameters['properties'];
};

export type WorkspaceResource = Envelope<'Microsoft.OperationalInsights/workspaces'> & {
  properties: PropertiesOf<Workspace, 'sku'>;
};

/**
 * Application Insights under its wire names (PascalCase, some with underscores), plus the one field
 * the installed SDK predates: the workspace a workspace-based component stores its data in.
 */
export type ComponentProperties = Renamed<
  PropertiesOf<ApplicationInsightsComponent>,
  {
    applicationType: 'Application_Type';
    flowType: 'Flow_Type';
    requestSource: 'Request_Source';
    ingestionMode: 'IngestionMode';
    retentionInDays: 'RetentionInDays';
    disableIpMasking: 'DisableIpMasking';
    samplingPercentage: 'SamplingPercentage';
  }
> & { WorkspaceResourceId: string };

export type ComponentResource = Envelope<'Microsoft.Insights/components'> & {
  kind: ApplicationInsightsComponent['kind'];
  properties: ComponentProperties;
};

export type AppServicePlanResource = Envelope<'Microsoft.Web/serverfarms'> & {
  kind: string;
  sku: SkuDescription;
  properties: PropertiesOf<AppServicePlan>;
};

export type SiteProperties = Omit<PropertiesOf<Site>, 'siteConfig'> & { siteConfig: SiteConfig };

export type SiteResource = Envelope<'Microsoft.Web/sites'> & {
  kind: string;
  identity: ManagedServiceIdentity;
  properties: SiteProperties;
};

export type BotResource = Envelope<'Microsoft.BotService/botServices'> & {
  kind: NonNullable<Bot['kind']>;
  sku: NonNullable<Bot['sku']>;
  properties: BotProperties;
};

export type BotChannelResource = Envelope<'Microsoft.BotService/botServices/channels'> & {
  properties: MsTeamsChannel;
};

export type ActionGroupDefinition = Envelope<'Microsoft.Insights/actionGroups'> & {
  properties: PropertiesOf<ActionGroupResource>;
};

export type MetricCriterion = WithoutIndex<MetricCriteria>;

/** The single-resource criteria; `odata.type` is the wire name of the SDK's `odataType`. */
export interface SingleResourceCriteria {
  'odata.type': MetricAlertSingleResourceMultipleMetricCriteria['odataType'];
  allOf: MetricCriterion[];
}

export type MetricAlertDefinition = Envelope<'Microsoft.Insights/metricAlerts'> & {
  properties: Omit<PropertiesOf<MetricAlertResource>, 'criteria'> & { criteria: SingleResourceCriteria };
};

export type LogAlertAction = Renamed<AlertingAction, { odataType: 'odata.type' }>;

export type LogAlertDefinition = Envelope<'Microsoft.Insights/scheduledQueryRules'> & {
  properties: Omit<PropertiesOf<LogSearchRuleResource>, 'action'> & { action: LogAlertAction };
};

export type ArmResource =
  | IdentityResource
  | StorageAccountResource
  | RoleAssignmentResource
  | KeyVaultResource
  | KeyVaultSecretResource
  | WorkspaceResource
  | ComponentResource
  | AppServicePlanResource
  | SiteResource
  | BotResource
  | BotChannelResource
  | ActionGroupDefinition
  | MetricAlertDefinition
  | LogAlertDefinition;

export type ArmResourceType = ArmResource['type'];

export interface ArmParameter {
  type: 'string' | 'securestring' | 'int' | 'bool';
  defaultValue?: string | number | boolean;
  allowedValues?: readonly string[];
  minLength?: number;
  maxLength?: number;
  metadata: { description: string };
}

export interface ArmOutput {
  type: 'string';
  value: string;
}

export interface ArmTemplate {
  $schema: string;
  contentVersion: string;
  metadata: { description: string };
  parameters: Record<string, ArmParameter>;
  variables: Record<string, string>;
  resources: ArmResource[];
  outputs: Record<string, ArmOutput>;
}
