import { DEMO_STAFF, demoSchool } from '../demo/demoSchool';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { TableStore } from '../storage/tableStore';
import { createHarness, Harness } from './support/botHarness';
import { raiseSuspensionRisk } from './support/flows';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/**
 * A real school's staff list is its whole Teams staff team: a hundred people or more, nearly all of
 * whom a concern's cards neither go to nor name. Their chat references are read fourteen to a
 * query (Azure Tables takes at most fifteen comparisons in a filter), so reading everyone's for
 * each concern's cards cost a query for every fourteen people on the list. The cards need only
 * those they go to and the approvers whose Teams ids they carry (issue 20: every storage call
 * earned). SYNTHETIC demo school, with synthetic colleagues added.
 */
const COLLEAGUES = Array.from({ length: 60 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { aadObjectId: `00000000-0000-0000-0000-2000000000${n}`, name: `Colleague ${n} (synthetic)`, email: `colleague${n}@oakfield.example.org`, roles: ['teacher' as const] };
});

describe("a concern's cards at a school with a staff list of 66", () => {
  let h: Harness;
  let calls: string[];

  beforeEach(async () => {
    calls = [];
    const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: uniquePrefix(), onCall: (c) => calls.push(`${c.method} ${c.table}`) });
    await store.ensureTables();
    h = await createHarness({ store });
    await h.parts.schools.save(loadSchoolProfile({ ...demoSchool, staff: [...demoSchool.staff, ...COLLEAGUES] }));
    h.parts.directory.invalidate();
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
  });

  it('read the chat references of the people they go to and name in one query, not one for every fourteen on the list', async () => {
    await h.say('hello');
    calls = [];
    await raiseSuspensionRisk(h);
    await h.parts.background.settled();
    const referenceReads = calls.filter((c) => c.startsWith('GET') && c.endsWith('convrefs'));
    expect(referenceReads).toHaveLength(1);
    // Each lead still has their card, and the approval cards still carry every approver's Teams id
    // (so the card refreshes with the buttons for either of them).
    expect(h.sender.sent.map((s) => s.ref.conversationId).sort()).toEqual(['conv-deputyDsl', 'conv-dsl', 'conv-dt']);
    const approvalCards = h.sender.sent.filter((s) => s.ref.conversationId !== 'conv-dt');
    for (const card of approvalCards) {
      const content = card.activity.attachments?.[0]?.content as { refresh?: { userIds?: string[] } } | undefined;
      expect([...(content?.refresh?.userIds ?? [])].sort()).toEqual([`29:${DEMO_STAFF.deputyDsl.aadObjectId}`, `29:${DEMO_STAFF.dsl.aadObjectId}`].sort());
    }
  });
});
