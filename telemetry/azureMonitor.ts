import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';

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
  // Loaded only when it is used: the distro brings the whole OpenTelemetry SDK with every exporter
  // and instrumentation, about 16 MB of heap and 20 MB of RSS in a bot that does not send telemetry.
  const { useAzureMonitor, shutdownAzureMonitor } = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  useAzureMonitor(azureMonitorOptions(connectionString));
  return { shutdown: () => shutdownAzureMonitor() };
}
