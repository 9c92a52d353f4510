import { Actor } from '../policy/caseRecord';
import { RecordAuditRepository } from '../storage/recordAuditRepository';

export interface RefusalLogOptions {
  /** Repeats within this long after the first refusal become one entry with a count. */
  windowMs: number;
  /** Refusals one person may get in a minute before the rest are answered 429 without more work. */
  perMinute: number;
  /** Most people × children tracked at once; the oldest are written out first. */
  maxTracked: number;
}

export const DEFAULT_REFUSAL_LOG: RefusalLogOptions = { windowMs: 10 * 60_000, perMinute: 20, maxTracked: 10_000 };

interface Pending {
  schoolId: string;
  pupilId: string;
  actor: Actor;
  view: string;
  since: string;
  repeats: number;
  timer: NodeJS.Timeout;
}

/**
 * Refused attempts to open a child's record are recorded against the child (the DSL sees who tried),
 * but a person repeating one cannot flood the audit trail: the first refusal is written at once,
 * repeats within the window become one entry with their count when it closes, and after a burst
 * the refusals are answered 429 straight away. Per instance: with several instances a person can
 * make at most one entry per window on each.
 */
export class RefusalLog {
  private readonly pending = new Map<string, Pending>();
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly audit: RecordAuditRepository,
    private readonly clock: () => Date,
    private readonly o: RefusalLogOptions = DEFAULT_REFUSAL_LOG,
  ) {}

  /** `recorded`: written now; `counted`: a repeat, written with the others later; `throttled`: too many, answer 429. */
  async refused(schoolId: string, pupilId: string, actor: Actor, view: string): Promise<'recorded' | 'counted' | 'throttled'> {
    const now = this.clock().getTime();
    const person = `${schoolId}|${actor.aadObjectId}`;
    const times = (this.recent.get(person) ?? []).filter((t) => now - t < 60_000);
    times.push(now);
    this.recent.set(person, times);
    const key = `${person}|${pupilId}`;
    const pending = this.pending.get(key);
    if (pending) {
      pending.repeats++;
      return times.length > this.o.perMinute ? 'throttled' : 'counted';
    }
    if (this.pending.size >= this.o.maxTracked) await this.writeOut(this.pending.keys().next().value!);
    const at = new Date(now).toISOString();
    await this.audit.recordAccess(schoolId, pupilId, { at, actor, action: 'refused', detail: { view } });
    const timer = setTimeout(() => void this.writeOut(key).catch(() => undefined), this.o.windowMs);
    timer.unref();
    this.pending.set(key, { schoolId, pupilId, actor, view, since: at, repeats: 0, timer });
    return times.length > this.o.perMinute ? 'throttled' : 'recorded';
  }

  /** Writes every open window's count now (on shutdown, and for tests). */
  async flush(): Promise<void> {
    for (const key of [...this.pending.keys()]) await this.writeOut(key);
    this.recent.clear();
  }

  private async writeOut(key: string): Promise<void> {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    clearTimeout(p.timer);
    if (p.repeats === 0) return;
    await this.audit.recordAccess(p.schoolId, p.pupilId, {
      at: this.clock().toISOString(),
      actor: p.actor,
      action: 'refused',
      detail: { view: p.view, repeats: p.repeats, since: p.since },
    });
  }
}
