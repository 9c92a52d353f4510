import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';
import { logFields, runWithLogFields } from '../telemetry/logContext';

/**
 * Work started after a request has been answered (an invoke must be answered within a few
 * seconds). Tracked so shutdown and tests can wait for it; anything that must not be lost is in
 * the outbox before it gets here, so this work only speeds things up.
 */
export class BackgroundWork {
  private readonly tasks = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, work: () => Promise<unknown>): void {
    // Not the request's own id (it has been answered): the work names the request that started it.
    const started = logFields().req;
    const task = runWithLogFields({ work: name, ...(started ? { after: started } : {}) }, () =>
      new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((err) => this.logger.error({ event: 'backgroundWorkFailed', work: name, err: errorSummary(err) }, 'work after a response failed'))
        .finally(() => this.tasks.delete(task)),
    );
    this.tasks.add(task);
  }

  async settled(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }
}
