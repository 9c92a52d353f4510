// The alerts an operator needs, each emailed through one action group: the app failing its health
// check, notifications failing or waiting too long, a weekly digest that did not post, and the audit
// chain check failing. The metric names are the ones the app emits; the queries read them from
// Application Insights' customMetrics table.
import { API_VERSIONS } from './apiVersions';
import type { ActionGroupDefinition, LogAlertDefinition, MetricAlertDefinition } from './armTemplate';
import { expression, format } from './expressions';
import { nameOf, resourceIdExpression } from './names';
import { parameter } from './parameters';

const actionGroupId = resourceIdExpression('actionGroup');

export function operatorActionGroup(): ActionGroupDefinition {
  return {
    type: 'Microsoft.Insights/actionGroups',
    apiVersion: API_VERSIONS.actionGroups,
    name: nameOf('actionGroup'),
    location: 'global',
    properties: {
      groupShortName: 'swbot',
      enabled: true,
      emailReceivers: [{ name: 'operator', emailAddress: expression(parameter('operatorEmail')), useCommonAlertSchema: true }],
    },
  };
}

function alertName(slug: string): string {
  return expression(format(`alert-{0}-${slug}`, parameter('trustName')));
}

/** App Service pings the health check path on every instance; below 100 % means one is failing. */
export function healthCheckAlert(): MetricAlertDefinition {
  return {
    type: 'Microsoft.Insights/metricAlerts',
    apiVersion: API_VERSIONS.metricAlerts,
    name: alertName('health-check-failing'),
    location: 'global',
    dependsOn: [resourceIdExpression('site'), actionGroupId],
    properties: {
      description: 'The bot is failing its health check (/healthz) on at least one instance: Teams messages may not be answered.',
      severity: 1,
      enabled: true,
      scopes: [resourceIdExpression('site')],
      evaluationFrequency: 'PT1M',
      windowSize: 'PT5M',
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion',
            name: 'HealthCheckStatus',
            metricName: 'HealthCheckStatus',
            metricNamespace: 'Microsoft.Web/sites',
            timeAggregation: 'Average',
            operator: 'LessThan',
            threshold: 100,
          },
        ],
      },
      autoMitigate: true,
      actions: [{ actionGroupId }],
    },
  };
}

/** A log alert: fires when the query returns a row, checked every `everyMinutes` over `overMinutes`. */
export interface LogAlertSpec {
  slug: string;
  description: string;
  severity: '0' | '1' | '2' | '3' | '4';
  query: string;
  everyMinutes: number;
  overMinutes: number;
}

export const LOG_ALERTS: readonly LogAlertSpec[] = [
  {
    slug: 'notifications-failing',
    description: 'Staff notifications failed to send in the last 15 minutes: someone who must be told about a concern may not have been.',
    severity: '1',
    query: 'customMetrics | where name == "swbot.notifications.failed" | summarize failed = sum(valueSum) | where failed > 0',
    everyMinutes: 15,
    overMinutes: 15,
  },
  {
    slug: 'notifications-waiting',
    description: 'A notification has waited more than 30 minutes to be sent: the outbox is stuck or Teams is refusing it.',
    severity: '2',
    query: 'customMetrics | where name == "swbot.outbox.oldest_pending_age_seconds" | summarize oldest = max(valueMax) | where oldest > 1800',
    everyMinutes: 15,
    overMinutes: 15,
  },
  {
    slug: 'digest-not-posted',
    description: 'A weekly digest run ended without posting in the last day: the senior leadership team did not get it.',
    severity: '2',
    query: 'customMetrics | where name == "swbot.digest.runs" and tostring(customDimensions["outcome"]) != "posted" | summarize runs = sum(valueSum) | where runs > 0',
    everyMinutes: 60,
    overMinutes: 1440,
  },
  {
    slug: 'audit-chain-failed',
    description: 'The audit chain check failed in the last day: a case\'s chronology may have been altered. Run npm run audit:verify.',
    severity: '1',
    query: 'customMetrics | where name == "swbot.job.runs" and tostring(customDimensions["job"]) == "auditVerify" and tostring(customDimensions["outcome"]) == "failed" | summarize runs = sum(valueSum) | where runs > 0',
    everyMinutes: 60,
    overMinutes: 1440,
  },
];

export function logAlert(spec: LogAlertSpec): LogAlertDefinition {
  return {
    type: 'Microsoft.Insights/scheduledQueryRules',
    apiVersion: API_VERSIONS.scheduledQueryRules,
    name: alertName(spec.slug),
    location: expression(parameter('location')),
    dependsOn: [resourceIdExpression('component'), actionGroupId],
    properties: {
      description: spec.description,
      enabled: 'true',
      source: { query: spec.query, dataSourceId: resourceIdExpression('component'), queryType: 'ResultCount' },
      schedule: { frequencyInMinutes: spec.everyMinutes, timeWindowInMinutes: spec.overMinutes },
      action: {
        'odata.type': 'Microsoft.WindowsAzure.Management.Monitoring.Alerts.Models.Microsoft.AppInsights.Nexus.DataContracts.Resources.ScheduledQueryRules.AlertingAction',
        severity: spec.severity,
        aznsAction: { actionGroup: [actionGroupId] },
        // One email per window, not one per evaluation, while the condition lasts.
        throttlingInMin: spec.overMinutes,
        trigger: { thresholdOperator: 'GreaterThan', threshold: 0 },
      },
    },
  };
}
