import { DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { CaseRepository } from '../storage/caseRepository';

/** Waits until no notification of the bench school is pending (or `limitMs` passes). */
export async function outboxDrained(cases: CaseRepository, limitMs: number): Promise<{ pending: number; ms: number }> {
  const started = Date.now();
  for (;;) {
    const pending = (await cases.pendingNotificationIds(DEMO_SCHOOL_ID)).length;
    if (pending === 0 || Date.now() - started > limitMs) return { pending, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The cases the given drafts were saved as, in the drafts' order (a draft not saved is left out). */
export async function caseIdsOf(cases: CaseRepository, draftIds: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const draftId of draftIds) {
    const found = await cases.findByDraft(DEMO_SCHOOL_ID, draftId);
    if (found) out.push(found.caseId);
  }
  return out;
}
