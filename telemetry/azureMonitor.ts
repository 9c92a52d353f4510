import { AzureMonitorOpenTelemetryOptions, shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';

/**
 * What is sent to Application Insights, and what is not. The automatic HTTP and Azure SDK
 * instrumentations are off: they record request and storage URLs, and those carry a child's record
 * id (/api/tab/pupils/<id>, a table row's keys). The app's own spans (a turn, a job run, an
 * outbound send) and metrics stand in for them, with attributes that identify no child.
 */
export function azureMonitorOptions(connectionString: string): AzureMonitorOpenTelemetryOptions {
  return {
    azureMonitorExporterOptions: { connectionString },
    enableLiveMetrics: false,
    instrumentationOptions: {
      http: { enabled: false },
      azureSdk: { enabled: false },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
      console: { enabled: false },
    },
  };
}

/** Starts the exporter when a connection string is set; returns how to flush it on shutdown. */
export function startAzureMonitor(connectionString: string | undefined): { shutdown(): Promise<void> } {
  if (!connectionString) return { shutdown: async () => undefined };
  useAzureMonitor(azureMonitorOptions(connectionString));
  return { shutdown: () => shutdownAzureMonitor() };
}
