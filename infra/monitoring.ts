// Log Analytics and a workspace-based Application Insights: where the app's traces and metrics go,
// and what the alert rules query.
import { API_VERSIONS } from './apiVersions';
import type { ComponentResource, WorkspaceResource } from './armTemplate';
import { expression } from './expressions';
import { nameOf, resourceIdExpression } from './names';
import { parameter } from './parameters';

const location = expression(parameter('location'));

export function logAnalyticsWorkspace(): WorkspaceResource {
  return {
    type: 'Microsoft.OperationalInsights/workspaces',
    apiVersion: API_VERSIONS.workspaces,
    name: nameOf('workspace'),
    location,
    properties: {
      sku: { name: 'PerGB2018' },
      // The app logs no names or case details (docs/ARCHITECTURE.md, telemetry/), so the free 30 days
      // is enough to investigate an incident without keeping more than needed.
      retentionInDays: 30,
      // Who may read the logs follows who may read the resource, not the whole workspace.
      features: { enableLogAccessUsingOnlyResourcePermissions: true },
      publicNetworkAccessForIngestion: 'Enabled',
      publicNetworkAccessForQuery: 'Enabled',
    },
  };
}

export function applicationInsights(): ComponentResource {
  return {
    type: 'Microsoft.Insights/components',
    apiVersion: API_VERSIONS.components,
    name: nameOf('component'),
    location,
    kind: 'web',
    dependsOn: [resourceIdExpression('workspace')],
    properties: {
      Application_Type: 'web',
      Flow_Type: 'Bluefield',
      Request_Source: 'rest',
      IngestionMode: 'LogAnalytics',
      WorkspaceResourceId: resourceIdExpression('workspace'),
      publicNetworkAccessForIngestion: 'Enabled',
      publicNetworkAccessForQuery: 'Enabled',
    },
  };
}
