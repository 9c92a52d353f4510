import { errorSummary } from '../telemetry/errors';
import { runWithLogFields } from '../telemetry/logContext';
import { Logger } from '../telemetry/logger';
import { AppMetrics } from '../telemetry/metrics';
import { inSpan } from '../telemetry/tracing';

/**
 * Runs a job every `intervalMs`, never two passes at once. On stop it tells the pass in hand
 * (`signal`), which a long pass checks between its units of work (a school, an action) and ends
 * there, and waits for it: a restart is not held up by a pass through a trust's backlog, and what
 * it left is the next pass's, on this instance or another.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly name: string,
    private readonly pass: (signal: AbortSignal) => Promise<unknown>,
    private readonly logger: Logger,
    private readonly metrics?: AppMetrics,
  ) {}

  /** One pass, traced and counted: the operator's alerts watch the count of failed passes. */
  async runPass(): Promise<void> {
    try {
      await runWithLogFields({ job: this.name }, () => inSpan(`job ${this.name}`, 'internal', { 'swbot.job': this.name }, () => this.pass(this.stopping.signal)));
      this.metrics?.jobRun(this.name, 'ok');
    } catch (err) {
      this.metrics?.jobRun(this.name, 'failed');
      this.logger.error({ event: 'jobPassFailed', job: this.name, err: errorSummary(err) }, 'a scheduled job pass failed');
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runPass().finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }
}
