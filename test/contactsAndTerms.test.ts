import { DEMO_SCHOOL_ID, DEMO_STAFF, demoSchool } from '../demo/demoSchool';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES } from '../storage/tableStore';
import { cardText, createHarness, Harness, MONDAY_9AM } from './support/botHarness';
import { act, raiseSuspensionRisk } from './support/flows';
import { checkCard } from './support/validateCard';

/**
 * Contacts and term dates a school does not have yet: the DSL is asked on a card for a Virtual
 * School's contact the first time a child in care is placed by that authority, and told four weeks
 * before the entered term dates run out. SYNTHETIC school and children.
 */

/** The demo school without a contact for Luton's Virtual School (Ellis, demo-p03, is placed by Luton). */
async function withoutLuton(clock: { now: Date }): Promise<Harness> {
  const h = await createHarness({ clock: () => clock.now });
  await new SchoolRepository(h.store.client(TABLES.schools)).save(loadSchoolProfile({ ...demoSchool, virtualSchools: demoSchool.virtualSchools.filter((v) => v.localAuthority !== 'LUTON') }));
  h.parts.directory.invalidate();
  await h.install('dsl');
  await h.install('deputyDsl');
  return h;
}

const toDsl = (h: Harness) => h.sender.sent.filter((s) => s.ref.aadObjectId === DEMO_STAFF.dsl.aadObjectId).map((s) => s.activity.attachments?.[0]?.content);

describe('a child in care placed by an authority with no Virtual School contact', () => {
  it('the plan says what to do meanwhile, the DSL is asked for the contact once, and saving it makes the next concern tell that Virtual School', async () => {
    const clock = { now: MONDAY_9AM };
    const h = await withoutLuton(clock);
    const caseId = await raiseSuspensionRisk(h, 'demo-p03');
    const record = (await h.parts.cases.get(DEMO_SCHOOL_ID, caseId))!;
    expect(JSON.stringify(record.plan.steps)).toContain("Luton (821)'s Virtual School: no contact recorded yet, so phone them (the council's website lists it); the DSL is asked to add the contact");
    await h.parts.background.settled();
    const asks = toDsl(h).filter((c) => cardText(c).startsWith('A Virtual School contact is needed'));
    expect(asks).toHaveLength(1);
    expect(cardText(asks[0])).toContain(`${record.ref} is about a child in care placed by Luton (821)`);
    expect(checkCard(asks[0]).errors).toEqual([]);
    // The same day, a second concern about a child placed by Luton: not asked again.
    await raiseSuspensionRisk(h, 'demo-p03');
    await h.parts.background.settled();
    expect(toDsl(h).filter((c) => cardText(c).startsWith('A Virtual School contact is needed'))).toHaveLength(1);

    const saved = await act(h, 'saveVirtualSchool', { school: DEMO_SCHOOL_ID, localAuthority: 'LUTON', vsName: 'Luton Virtual School (synthetic)', vsEmail: 'vs@luton-vs.example.org', vsPhone: '' }, 'dsl');
    expect(cardText(saved.value)).toContain('Luton Virtual School (synthetic) (vs@luton-vs.example.org) is now Oakfield Primary (demo)\'s contact for children placed by Luton (821)');
    const log = await new RecordAuditRepository(h.store.client(TABLES.cases)).settingsLog(DEMO_SCHOOL_ID);
    expect(log.at(-1)).toMatchObject({ action: 'virtualSchoolSaved', actor: { name: 'Megan Bowen' }, detail: { localAuthority: 'LUTON', email: 'vs@luton-vs.example.org' } });
    const next = await raiseSuspensionRisk(h, 'demo-p03');
    const notifications = await h.parts.cases.notifications(DEMO_SCHOOL_ID, next);
    expect(notifications.some((n) => n.channel === 'email' && n.to.email === 'vs@luton-vs.example.org')).toBe(true);
  });

  it('a teacher cannot save a contact, whatever the button sends', async () => {
    const h = await withoutLuton({ now: MONDAY_9AM });
    const refused = await act(h, 'saveVirtualSchool', { school: DEMO_SCHOOL_ID, localAuthority: 'LUTON', vsName: 'Fake', vsEmail: 'attacker@evil.example' }, 'teacher');
    expect(refused.statusCode).toBe(403);
    expect((await h.parts.directory.school(DEMO_SCHOOL_ID)).virtualSchools.map((v) => v.email)).not.toContain('attacker@evil.example');
  });
});

describe('term dates running out', () => {
  it('four weeks before the last entered date the DSL and deputy are told, once for that date', async () => {
    const clock = { now: new Date('2027-06-01T01:30:00Z') };
    const h = await createHarness({ clock: () => clock.now });
    await h.install('dsl');
    await h.install('deputyDsl');
    // The demo calendar ends on 21 July 2027: on 1 June that is more than four weeks away.
    expect(await h.parts.termDatesWarning.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, told: 0 }]);
    clock.now = new Date('2027-06-24T01:30:00Z');
    expect(await h.parts.termDatesWarning.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, told: 2 }]);
    const warning = toDsl(h).at(-1);
    expect(cardText(warning)).toContain('The last term date entered for Oakfield Primary (demo) is Wed 21 Jul 2027, in about 3 weeks');
    expect(checkCard(warning).errors).toEqual([]);
    h.restart();
    clock.now = new Date('2027-06-25T01:30:00Z');
    expect(await h.parts.termDatesWarning.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, told: 0 }]);
  });
});
