import { DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { createHarness } from './support/botHarness';
import { act, raiseSuspensionRisk } from './support/flows';
import { createTestStore } from './support/store';

/**
 * Right after a Send the deadline job and the staff cards append the case's audit entries one
 * after another. A DSL's Approve in those moments read the next audit number and found it taken
 * when it wrote, five times in a row under load, and failed (seen in the full suite: the invoke
 * answered 501). SYNTHETIC demo school.
 */
describe('an Approve while other entries take the case’s next audit numbers', () => {
  it('is recorded once, after the others, with every entry in its own place in the chain', async () => {
    const h = await createHarness({ store: await createTestStore() });
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
    const caseId = await raiseSuspensionRisk(h);
    const cases = h.parts.cases;
    const read = cases.nextAuditSeq.bind(cases);
    let taken = 0;
    let appending = false;
    // Each time the decision reads the next number, another writer takes it before the decision writes (six times).
    cases.nextAuditSeq = async (schoolId, id) => {
      const seq = await read(schoolId, id);
      if (!appending && id === caseId && taken < 6) {
        appending = true;
        try {
          const n = taken + 1;
          await cases.appendAudit(schoolId, (s) => ({ caseId, seq: s, at: new Date().toISOString(), actor: { system: true }, action: 'deadlineReminder', detail: { taken: n } }));
          taken = n;
        } finally {
          appending = false;
        }
      }
      return seq;
    };

    await act(h, 'approveCase', { caseId }, 'dsl');

    expect(taken).toBe(6);
    expect((await cases.get(DEMO_SCHOOL_ID, caseId))?.approval.decision?.outcome).toBe('approved');
    const trail = await cases.auditTrail(DEMO_SCHOOL_ID, caseId);
    expect(trail.filter((e) => e.action === 'approved')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'deadlineReminder')).toHaveLength(6);
    expect(new Set(trail.map((e) => e.seq)).size).toBe(trail.length);
    expect((await cases.verifyAuditChain(DEMO_SCHOOL_ID)).ok).toBe(true);
  });
});
