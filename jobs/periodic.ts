import { errorSummary } from '../telemetry/errors';
import { runWithLogFields } from '../telemetry/logContext';
import { Logger } from '../telemetry/logger';

/** Runs a job every `intervalMs`, never two passes at once, and waits for the last pass on stop. */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = runWithLogFields({ job: this.name }, () => this.pass())
        .catch((err) => this.logger.error({ event: 'jobPassFailed', job: this.name, err: errorSummary(err) }, 'a scheduled job pass failed'))
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
