import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';
import { logFields, runWithLogFields } from '../telemetry/logContext';

/** Requests being answered right now, counted by the server: background work gives way to them. */
export class RequestGauge {
  private count = 0;
  private readonly waiting = new Set<{ below: number; resolve: () => void }>();
  enter(): void {
    this.count++;
  }
  leave(): void {
    this.count--;
    for (const w of this.waiting) if (this.count < w.below) w.resolve();
  }
  get inFlight(): number {
    return this.count;
  }

  /** Resolves once fewer than `below` requests are in flight, or after `atMostMs` whatever the load (so waiting work is never starved). */
  quieterThan(below: number, atMostMs: number): Promise<void> {
    if (this.count < below) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = {
        below,
        resolve: () => {
          clearTimeout(timer);
          this.waiting.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.resolve, atMostMs);
      this.waiting.add(waiter);
    });
  }
}

export interface BackgroundLimits {
  /** Tasks running at once when the server is quiet. */
  concurrency: number;
  /** Tasks running at once while at least `busyAt` requests are being answered. */
  whileBusy: number;
  busyAt: number;
}

/**
 * Four at once when quiet, two while people are waiting on eight or more requests: a burst of
 * concerns queues its staff cards here (they are safe in the outbox) instead of taking the CPU and
 * the storage account from the turns still to be answered. None while busy (one a second that had
 * waited) was tried for issue 20: the dialog turn at 20 concurrent was no faster beyond the runs'
 * spread, and in the trust scenario the DSLs' approval cards waited behind the turns (59 approvals
 * made in its minute, a third of the 189 of the run before, while its turns fell only to 61%).
 */
export const DEFAULT_BACKGROUND: BackgroundLimits = { concurrency: 4, whileBusy: 2, busyAt: 8 };

/**
 * How long an outbox pass waits before each case while the server is busy: it goes on as soon as
 * fewer than `busyAt` requests are in flight, and after a second in any case, so under a sustained
 * burst it still delivers a case a second or more.
 */
export const OUTBOX_GIVES_WAY_MS = 1000;

interface Task {
  run: () => Promise<void>;
  /** Gives up on it without running it (at shutdown), if what it does is also in the outbox. */
  drop?: () => void;
}

/**
 * Work started after a request has been answered (an invoke must be answered within a few
 * seconds). Tracked so shutdown and tests can wait for it; anything that must not be lost is in
 * the outbox before it gets here, so this work only speeds things up, and it runs with bounded
 * concurrency that yields to requests.
 */
export class BackgroundWork {
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly queue: Task[] = [];
  private running = 0;

  constructor(
    private readonly logger: Logger,
    private readonly gauge: RequestGauge = new RequestGauge(),
    private readonly limits: BackgroundLimits = DEFAULT_BACKGROUND,
  ) {}

  /** `inOutbox`: what the work does is also pending in the outbox, so at shutdown it may be dropped unstarted. */
  run(name: string, work: () => Promise<unknown>, options: { inOutbox?: boolean } = {}): void {
    // Not the request's own id (it has been answered): the work names the request that started it.
    const started = logFields().req;
    const task = new Promise<void>((finished) => {
      this.queue.push({
        ...(options.inOutbox ? { drop: finished } : {}),
        run: () =>
          runWithLogFields({ work: name, ...(started ? { after: started } : {}) }, () =>
            Promise.resolve()
              .then(work)
              .then(
                () => undefined,
                (err: unknown) => this.logger.error({ event: 'backgroundWorkFailed', work: name, err: errorSummary(err) }, 'work after a response failed'),
              ),
          ).finally(finished),
      });
    }).finally(() => this.tasks.delete(task));
    this.tasks.add(task);
    // After the current turn has had its answer written.
    setImmediate(() => this.next());
  }

  /** Work waiting for a slot, for the operator's metrics and the benchmark. */
  get queued(): number {
    return this.queue.length;
  }

  private next(): void {
    const limit = this.gauge.inFlight >= this.limits.busyAt ? this.limits.whileBusy : this.limits.concurrency;
    while (this.running < limit && this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.running++;
      void task.run().finally(() => {
        this.running--;
        this.next();
      });
    }
  }

  /**
   * At shutdown: work not yet started whose effect is also in the outbox is dropped rather than
   * waited for (after a burst the queue may hold minutes of staff cards); the next instance's
   * outbox pass delivers them. Everything else, and work already running, finishes. Returns how
   * many were dropped.
   */
  dropQueued(): number {
    const kept = this.queue.filter((t) => !t.drop);
    const dropped = this.queue.filter((t) => t.drop);
    this.queue.splice(0, this.queue.length, ...kept);
    dropped.forEach((t) => t.drop?.());
    return dropped.length;
  }

  async settled(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }
}
