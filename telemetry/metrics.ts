import { Attributes, metrics, ObservableResult } from '@opentelemetry/api';

export type JobOutcome = 'ok' | 'failed';
export type DigestOutcome = 'posted' | 'not_posted' | 'failed';

/** The notifications still waiting after an outbox pass: how many, and how long the oldest has waited. */
export interface OutboxBacklog {
  pending: number;
  /** Waiting for the recipient to install the app: expected, and told to the DSL, so not in the age. */
  waitingForInstall: number;
  oldestPendingAgeSeconds: number;
}

/**
 * The metrics an operator alerts on (infra/alerts.ts names them): delivery failures by kind, the
 * outbox backlog and the age of its oldest notification, digest runs and every scheduled job's
 * runs by outcome, and storage latency. Made once per app, after the telemetry provider is set (the
 * OpenTelemetry API has no stand-in that picks up a provider registered later). Attributes are
 * kinds and outcomes only, never anything about a child.
 */
export class AppMetrics {
  private readonly failures;
  private readonly digestRuns;
  private readonly jobRuns;
  private readonly storageDuration;
  private backlog: OutboxBacklog | undefined;

  constructor() {
    const meter = metrics.getMeter('sw-cohort-teams-bot');
    this.failures = meter.createCounter('swbot.notifications.failed', { description: 'Notifications that failed for good (the DSL is told)' });
    this.digestRuns = meter.createCounter('swbot.digest.runs', { description: 'Weekly digest attempts, by outcome' });
    this.jobRuns = meter.createCounter('swbot.job.runs', { description: 'Scheduled job passes, by job and outcome' });
    this.storageDuration = meter.createHistogram('swbot.storage.duration', { description: 'Table Storage calls, per try', unit: 'ms' });
    const pending = meter.createObservableGauge('swbot.outbox.pending', { description: 'Notifications still to send after the last outbox pass' });
    const oldest = meter.createObservableGauge('swbot.outbox.oldest_pending_age_seconds', { description: 'How long the oldest notification still to send has waited', unit: 's' });
    const waiting = meter.createObservableGauge('swbot.outbox.waiting_for_install', { description: 'Cards waiting for their recipient to install the app' });
    pending.addCallback((r: ObservableResult<Attributes>) => this.backlog && r.observe(this.backlog.pending));
    oldest.addCallback((r: ObservableResult<Attributes>) => this.backlog && r.observe(this.backlog.oldestPendingAgeSeconds));
    waiting.addCallback((r: ObservableResult<Attributes>) => this.backlog && r.observe(this.backlog.waitingForInstall));
  }

  notificationFailed(channel: 'teams' | 'email', kind: string): void {
    this.failures.add(1, { channel, kind });
  }

  outboxPassed(backlog: OutboxBacklog): void {
    this.backlog = backlog;
  }

  digestRun(outcome: DigestOutcome): void {
    this.digestRuns.add(1, { outcome });
  }

  jobRun(job: string, outcome: JobOutcome): void {
    this.jobRuns.add(1, { job, outcome });
  }

  storageCall(method: string, status: number | undefined, durationMs: number): void {
    this.storageDuration.record(durationMs, { method, status: status === undefined ? 'no answer' : String(status) });
  }
}
