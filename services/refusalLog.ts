import { Actor } from '../policy/caseRecord';
import { RecordAuditRepository } from '../storage/recordAuditRepository';

export interface RefusalLogOptions {
  /** Repeats within this long after the first refusal become one entry with a count. */
  windowMs: number;
  /** Refusals one person may get in a minute before the rest are answered 429 without more work. */
  perMinute: number;
  /** Most people × subjects tracked at once; the oldest are written out first. */
  maxTracked: number;
}

export const DEFAULT_REFUSAL_LOG: RefusalLogOptions = { windowMs: 10 * 60_000, perMinute: 20, maxTracked: 10_000 };

/** What is written: the first refusal at once (no `repeats`), then the count of repeats when its window closes. */
export interface RefusalEntry {
  schoolId: string;
  actor: Actor;
  /** Where the refusal is filed (a child's id, a part of the settings). */
  subject: string;
  /** What was asked for (the view, the setting). */
  what: string;
  at: string;
  repeats?: { repeats: number; since: string };
}

interface Pending {
  entry: RefusalEntry;
  repeats: number;
  timer: NodeJS.Timeout;
}

/**
 * Refused attempts are recorded where the DSL looks (against the child, or in the school's settings
 * history), but a person repeating one cannot flood the audit trail: the first refusal is written at
 * once, repeats within the window become one entry with their count when it closes, and after a
 * burst the refusals are answered 429 straight away. Per instance: with several instances a person
 * can make at most one entry per window on each.
 */
export class RefusalWindows {
  private readonly pending = new Map<string, Pending>();
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly write: (entry: RefusalEntry) => Promise<void>,
    private readonly clock: () => Date,
    private readonly o: RefusalLogOptions = DEFAULT_REFUSAL_LOG,
  ) {}

  /** `recorded`: written now; `counted`: a repeat, written with the others later; `throttled`: too many, answer 429. */
  async refused(schoolId: string, actor: Actor, subject: string, what: string): Promise<'recorded' | 'counted' | 'throttled'> {
    const now = this.clock().getTime();
    const person = `${schoolId}|${actor.aadObjectId}`;
    const times = (this.recent.get(person) ?? []).filter((t) => now - t < 60_000);
    times.push(now);
    // Bounded like the windows: a stream of new people must not grow this without end.
    if (this.recent.size >= this.o.maxTracked && !this.recent.has(person)) this.recent.clear();
    this.recent.set(person, times);
    const throttled = times.length > this.o.perMinute;
    const key = `${person}|${subject}`;
    const pending = this.pending.get(key);
    if (pending) {
      pending.repeats++;
      return throttled ? 'throttled' : 'counted';
    }
    if (this.pending.size >= this.o.maxTracked) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) await this.writeOut(oldest);
    }
    const entry: RefusalEntry = { schoolId, actor, subject, what, at: new Date(now).toISOString() };
    await this.write(entry);
    const timer = setTimeout(() => void this.writeOut(key).catch(() => undefined), this.o.windowMs);
    timer.unref();
    this.pending.set(key, { entry, repeats: 0, timer });
    return throttled ? 'throttled' : 'recorded';
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
    await this.write({ ...p.entry, at: this.clock().toISOString(), repeats: { repeats: p.repeats, since: p.entry.at } });
  }
}

/** Refused attempts to open a child's record, filed under the child (action "refused"). */
export class RefusalLog {
  private readonly windows: RefusalWindows;

  constructor(audit: RecordAuditRepository, clock: () => Date, o: RefusalLogOptions = DEFAULT_REFUSAL_LOG) {
    this.windows = new RefusalWindows(
      (e) => audit.recordAccess(e.schoolId, e.subject, { at: e.at, actor: e.actor, action: 'refused', detail: { view: e.what, ...e.repeats } }),
      clock,
      o,
    );
  }

  refused(schoolId: string, pupilId: string, actor: Actor, view: string): Promise<'recorded' | 'counted' | 'throttled'> {
    return this.windows.refused(schoolId, actor, pupilId, view);
  }

  flush(): Promise<void> {
    return this.windows.flush();
  }
}

/**
 * Refused attempts to see or change a school's settings, written to that school's settings history
 * (`settings|`, action "settingsRefused") so the DSL and headteacher can see who tried.
 */
export class SettingsRefusals {
  private readonly windows: RefusalWindows;

  constructor(audit: RecordAuditRepository, clock: () => Date, o: RefusalLogOptions = DEFAULT_REFUSAL_LOG) {
    this.windows = new RefusalWindows(
      async (e) => {
        await audit.recordSettingsChange(e.schoolId, { at: e.at, actor: e.actor, action: 'settingsRefused', detail: { what: e.what, ...e.repeats } });
      },
      clock,
      o,
    );
  }

  refused(schoolId: string, actor: Actor, what: string): Promise<'recorded' | 'counted' | 'throttled'> {
    return this.windows.refused(schoolId, actor, what, what);
  }

  flush(): Promise<void> {
    return this.windows.flush();
  }
}
