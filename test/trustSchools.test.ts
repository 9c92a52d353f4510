import { DEMO_SCHOOL_ID, DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { pupilSchema } from '../policy/pupil';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TrustRepository } from '../storage/trustRepository';
import { TABLES } from '../storage/tableStore';
import { cardOf, cardText, createHarness, Harness, lastCard } from './support/botHarness';
import { schoolB, schoolBPupils, SCHOOL_B_ID, SCHOOL_B_PUPIL_NAMES, SCHOOL_A_PUPIL_NAMES } from './support/secondSchool';

/**
 * A trust: two schools in one tenant and one deployment. Someone on the staff of both chooses the
 * school for each concern rather than being refused, and only ever reaches the chosen school's
 * children; a trust's Virtual School contacts are every one of its schools'. SYNTHETIC schools.
 */

const TRUST_SCHOOL = { ...schoolB, id: SCHOOL_B_ID, tenantId: PLAYGROUND_TENANT_ID, trustId: 'oak-trust' };

async function trustHarness(): Promise<Harness> {
  const h = await createHarness();
  const profile = loadSchoolProfile({
    ...TRUST_SCHOOL,
    // The demo school's class teacher also teaches here.
    staff: [...TRUST_SCHOOL.staff, { ...DEMO_STAFF.teacher, email: 'alex.wilber@oakfield.example.org', roles: ['teacher'] }],
  });
  await new PupilRepository(h.store.client(TABLES.pupils)).saveAll(profile.id, schoolBPupils.map((p) => pupilSchema.parse({ ...p, schoolId: profile.id })));
  await new SchoolRepository(h.store.client(TABLES.schools)).save(profile);
  h.parts.directory.invalidate();
  return h;
}

async function search(h: Harness, dataset: string, queryText: string): Promise<string[]> {
  const body = (await h.invoke('application/search', { kind: 'search', queryText, queryOptions: { skip: 0, top: 15 }, dataset }, 'teacher')) as { value?: { results?: Array<{ title: string }> } };
  return (body.value?.results ?? []).map((r) => r.title);
}

describe('someone on the staff of two schools of a trust', () => {
  it('is asked which school a concern is for, and the dialog then runs for that school', async () => {
    const h = await trustHarness();
    const asked = lastCard(await h.say('attendance', 'teacher'));
    expect(cardText(asked)).toContain('You are on the staff of more than one school. Which school is this about?');
    const buttons = (asked as { actions: Array<{ title: string; data: Record<string, unknown> }> }).actions;
    expect(buttons.map((b) => b.title)).toEqual(['Brookside Primary (synthetic)', 'Oakfield Primary (demo)']);
    const started = lastCard(await h.say(buttons[0]!.data, 'teacher'));
    expect(cardText(started)).toContain('Which child is this about?');
    // The picker searches the chosen school's register, and no other.
    const dataset = JSON.stringify(started).match(/"dataset":"([^"]+)"/)![1]!;
    expect(dataset).toBe(`pupils@${SCHOOL_B_ID}`);
    expect(await search(h, dataset, 'Quennell')).toEqual(['Zephyrine Quennell (Year 5)']);
    expect(await search(h, dataset, 'Thistlewood')).toEqual([]);
  });

  it('never reaches the other school\'s children by naming it in a search', async () => {
    const h = await trustHarness();
    expect(await search(h, `pupils@${DEMO_SCHOOL_ID}`, 'Sam')).toEqual(['Sam Thistlewood (Year 4)']);
    expect(await search(h, 'pupils@not-their-school', 'Sam')).toEqual([]);
    // Without a school, and on two: nothing rather than the wrong school's children.
    const neither = await search(h, 'pupils', 'a');
    expect(neither.filter((t) => [...SCHOOL_A_PUPIL_NAMES, ...SCHOOL_B_PUPIL_NAMES].some((n) => t.startsWith(n)))).toEqual([]);
  });

  it('someone on one school\'s staff is not asked', async () => {
    const h = await trustHarness();
    expect(cardText(lastCard(await h.say('attendance', 'dsl')))).toContain('Which child is this about?');
  });
});

describe('a trust\'s shared Virtual School contacts', () => {
  it('are every one of its schools\' contacts; a school\'s own entry for an authority wins', async () => {
    const h = await trustHarness();
    await new TrustRepository(h.store.client(TABLES.schools)).save({
      id: 'oak-trust',
      name: 'Oak Learning Trust (synthetic)',
      tenantId: PLAYGROUND_TENANT_ID,
      admins: [{ aadObjectId: DEMO_STAFF.headteacher.aadObjectId, name: 'Patti Fernandez' }],
      virtualSchools: [
        { localAuthority: '821', name: 'Luton Virtual School (trust contact, synthetic)', email: 'trust-luton@luton-vs.example.org' },
        { localAuthority: '873', name: 'Cambridgeshire Virtual School (synthetic)', email: 'vs@cambs-vs.example.org' },
      ],
    });
    h.parts.directory.invalidate();
    const school = await h.parts.directory.school(SCHOOL_B_ID);
    expect(school.virtualSchools.map((v) => v.email)).toContain('vs@cambs-vs.example.org');
    // Brookside has its own Luton entry ("LUTON"): the trust's for the same authority (821) does not replace it.
    expect(school.virtualSchools.filter((v) => /luton/i.test(v.name)).map((v) => v.email)).toEqual(['virtualschool@luton-vs.example.org']);
    // The demo school is not in the trust.
    expect((await h.parts.directory.school(DEMO_SCHOOL_ID)).virtualSchools.map((v) => v.email)).not.toContain('vs@cambs-vs.example.org');
  });

  it('a trust administrator may change a school of the trust; the trust\'s other staff may not', async () => {
    const h = await trustHarness();
    await new TrustRepository(h.store.client(TABLES.schools)).save({ id: 'oak-trust', name: 'Oak Learning Trust (synthetic)', tenantId: PLAYGROUND_TENANT_ID, admins: [{ aadObjectId: DEMO_STAFF.headteacher.aadObjectId, name: 'Patti Fernandez' }], virtualSchools: [] });
    const school = await h.parts.directory.school(SCHOOL_B_ID);
    expect(await h.parts.settings.mayChange(school, DEMO_STAFF.headteacher.aadObjectId)).toBe(true);
    expect(await h.parts.settings.mayChange(school, DEMO_STAFF.dsl.aadObjectId)).toBe(false);
    const done = await h.parts.settings.changeRole(SCHOOL_B_ID, { aadObjectId: DEMO_STAFF.headteacher.aadObjectId, name: 'Patti Fernandez' }, { role: 'DT', person: { aadObjectId: DEMO_STAFF.teacher.aadObjectId, name: 'Alex Wilber' }, give: true });
    expect(done.summary).toBe('Alex Wilber is now the Designated Teacher for looked-after and previously looked-after children (DT) (was Marisol Quayle).');
    expect(cardOf(h.sender.sent.at(-1)?.activity)).toBeUndefined();
  });
});
