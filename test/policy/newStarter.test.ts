import { isoDate } from '../../policy/dates';
import { matchScore, newStarterSubjectSchema, REPORTED_STATUSES, reportedStatusOf, routedNewStarter, statusesFor } from '../../policy/newStarter';
import { cohortFlags } from '../../policy/pupil';
import { routingPlan } from '../../policy/routingPlan';
import { MONDAY, profile } from './fixtures';

/** Synthetic: a made-up child joining a made-up school. */
const JORDAN = { givenName: 'Jordan', familyName: 'Notonroll', yearGroup: '3' as const, dateOfBirth: isoDate('2018-05-04') };

describe('a new starter’s reported status', () => {
  it.each(REPORTED_STATUSES)('%s reads back as itself, so the card fills in again after "back"', (status) => {
    const statuses = statusesFor(status, { legalBasis: 's20', placingAuthority: '881' });
    expect(reportedStatusOf(statuses)).toBe(status);
  });

  it('gives the cohort the policies cover: care experienced for in care and previously in care, a social worker now for a plan', () => {
    expect(cohortFlags({ statuses: statusesFor('inCare', { legalBasis: 's31', placingAuthority: '881' }) }, MONDAY)).toMatchObject({ careExperienced: true, cla: { placingAuthority: '881' } });
    expect(cohortFlags({ statuses: statusesFor('sgo') }, MONDAY)).toMatchObject({ careExperienced: true, cpla: { route: 'SGO' } });
    expect(cohortFlags({ statuses: statusesFor('childProtection') }, MONDAY)).toMatchObject({ onCpPlan: true, careExperienced: false });
    expect(cohortFlags({ statuses: statusesFor('kinship') }, MONDAY).kinship).toBe(true);
    expect(statusesFor('noneKnown')).toEqual([]);
  });

  it('a child in care needs the legal basis and the placing authority', () => {
    expect(() => statusesFor('inCare')).toThrow('a child in care needs a legal basis and a placing authority');
  });
});

describe('routing a new starter', () => {
  const plan = (status: Parameters<typeof statusesFor>[0]) =>
    routingPlan(
      'admission',
      { caseType: 'admission', startDate: '2026-11-30', previousSchool: 'Brookside Primary (made up)' },
      routedNewStarter(newStarterSubjectSchema.parse({ kind: 'newStarter', ...JORDAN, statuses: statusesFor(status, { legalBasis: 's31', placingAuthority: '886' }) })),
      profile('leys'),
      MONDAY,
    );

  it('in care: the DT leads, the placing authority’s Virtual School is told, and the plan says the status was reported', () => {
    const p = plan('inCare');
    expect(p).toMatchObject({ inScope: true, statusReported: true });
    expect(p.statusLabels[0]).toBe('Not on the register yet: the status below is as reported when the admission was raised');
    expect(p.steps.find((s) => s.id === 'admission.cla.virtualSchool')!.what).toContain('the placing authority (Kent (886))');
    expect(p.steps.find((s) => s.id === 'lead.dt')!.what).toContain('once they are, match them to it from this card');
  });

  it('none known: the DSL checks with the previous school (KCSIE) and chases the records (the Pupil Information Regulations)', () => {
    const p = plan('noneKnown');
    expect(p).toMatchObject({ inScope: false, statusReported: true, statusLabels: ['Not on the register yet: the status below is as reported when the admission was raised'] });
    const check = p.steps.find((s) => s.id === 'admission.checkStatus')!;
    expect(check).toMatchObject({ owner: 'DSL', deadline: '2026-12-07', source: { kind: 'statute', document: expect.stringContaining('Keeping children safe in education') } });
    const records = p.steps.find((s) => s.id === 'admission.recordsFifteenDays')!;
    expect([records.source, ...(records.alsoSources ?? [])]).toContainEqual(expect.objectContaining({ paragraph: 'regulation 9(3)' }));
    expect(p.steps[0]!.what).toBe("No status the school's policy covers was given for this new starter. The child is not on the register yet: once they are, match them to it from this card, so their record and deadlines follow them.");
  });
});

describe('who on the register a new starter may be', () => {
  const pupil = (o: Partial<{ givenName: string; familyName: string; yearGroup: '3' | '4'; dateOfBirth: string }>) => {
    const p = { givenName: 'Jordan', familyName: 'Notonroll', yearGroup: '3' as const, dateOfBirth: '2018-05-04', ...o };
    return { ...p, dateOfBirth: isoDate(p.dateOfBirth) };
  };
  it('ranks the same name and birthday first, then the same name, then a sibling in the same year, and strangers not at all', () => {
    const same = matchScore(JORDAN, pupil({}));
    const sameNameOtherBirthday = matchScore(JORDAN, pupil({ dateOfBirth: '2018-05-05' }));
    const accentsAndCase = matchScore({ ...JORDAN, familyName: 'NOTONRÖLL' }, pupil({}));
    const twin = matchScore(JORDAN, pupil({ givenName: 'Jamie' }));
    const stranger = matchScore(JORDAN, pupil({ givenName: 'Sam', familyName: 'Thistlewood', yearGroup: '4', dateOfBirth: '2017-03-14' }));
    expect(same).toBe(100);
    expect(accentsAndCase).toBe(100);
    expect(sameNameOtherBirthday).toBeLessThan(same);
    expect(twin).toBeLessThan(sameNameOtherBirthday);
    expect(twin).toBeGreaterThan(0);
    expect(stranger).toBe(0);
  });
});
