import { demoSchool } from '../../demo/demoSchool';
import { loadSchoolProfile, ProfileError, rolesOf } from '../../policy/schoolProfile';

describe('school profiles are validated on load', () => {
  it('accepts the demo school', () => {
    expect(loadSchoolProfile(demoSchool).name).toBe('Oakfield Primary (demo)');
  });

  it('refuses a profile that names no DSL, saying so', () => {
    const noDsl = { ...demoSchool, staff: demoSchool.staff.map((s) => ({ ...s, roles: s.roles.filter((r) => r !== 'DSL') })) };
    expect(() => loadSchoolProfile(noDsl)).toThrow(ProfileError);
    expect(() => loadSchoolProfile(noDsl)).toThrow('School profile oakfield-demo is not valid: staff: the profile names no Designated Safeguarding Lead (a member of staff with the role "DSL")');
  });

  it('refuses a policy profile that does not exist, naming the profiles that do', () => {
    expect(() => loadSchoolProfile({ ...demoSchool, policy: { profile: 'yorkshire' } })).toThrow(
      'School profile oakfield-demo is not valid: policy.profile: policy profile "yorkshire" does not exist; choose one of: leys, busheyHeath, holyFamily, offord, cambridgeshireModel',
    );
  });

  it('reads a profile saved before policy profiles, with its county pack, as that pack\'s fullest seed policy', () => {
    const { policy: _policy, ...rest } = demoSchool;
    expect(loadSchoolProfile({ ...rest, pack: 'cambridgeshire' }).policy.profile).toBe('offord');
    expect(loadSchoolProfile({ ...rest, pack: 'hertfordshire' }).policy.profile).toBe('leys');
  });

  it('refuses a profile without the local authority\'s exclusions contact (the statutory notifications need an address)', () => {
    const { exclusionsContact: _gone, ...rest } = demoSchool;
    expect(() => loadSchoolProfile(rest)).toThrow(/exclusionsContact: /);
    expect(() => loadSchoolProfile({ ...demoSchool, exclusionsContact: { name: 'Exclusions', email: 'not an address' } })).toThrow(/exclusionsContact\.email/);
  });

  // Working together to improve school attendance (2024), persistent and severe absence; the School
  // Attendance (Pupil Registration) Regulations 2024 (10 school days): a profile may be stricter, never looser.
  it.each([
    [{ persistentAbsencePercent: 85 }, 'thresholds.persistentAbsencePercent: may only be stricter than the statutory threshold: persistent absence is attendance of 90% or less'],
    [{ severeAbsencePercent: 40 }, 'thresholds.severeAbsencePercent: may only be stricter than the statutory threshold: severe absence is attendance of 50% or less'],
    [{ consecutiveUnauthorisedDays: 15 }, 'thresholds.consecutiveUnauthorisedDays: may only be stricter than the statutory threshold'],
  ])('refuses attendance thresholds looser than the law (%j), saying which and why', (thresholds, message) => {
    expect(() => loadSchoolProfile({ ...demoSchool, thresholds })).toThrow(message);
  });

  it('accepts stricter thresholds', () => {
    expect(loadSchoolProfile({ ...demoSchool, thresholds: { persistentAbsencePercent: 92, severeAbsencePercent: 60, consecutiveUnauthorisedDays: 5 } }).thresholds.persistentAbsencePercent).toBe(92);
  });

  it('a school\'s own policy: its title, what it adds and what it leaves out; a rule that does not exist is refused', () => {
    expect(() => loadSchoolProfile({ ...demoSchool, policy: { profile: 'leys', omits: ['scope.kinship'] } })).toThrow(/policy.ownDocument: a school that adds or leaves out rules must give the title of its own policy document/);
    expect(() => loadSchoolProfile({ ...demoSchool, policy: { profile: 'leys', ownDocument: 'Our policy (2026)', omits: ['suspension.notARule'] } })).toThrow(/"suspension.notARule" is not a rule this app knows/);
  });

  it('refuses a Virtual School directory without the school\'s own authority, and term dates that run backwards', () => {
    expect(() => loadSchoolProfile({ ...demoSchool, virtualSchools: demoSchool.virtualSchools.filter((v) => v.localAuthority !== 'HERTS') })).toThrow(
      /no entry for the school's own local authority HERTS/,
    );
    expect(() => loadSchoolProfile({ ...demoSchool, calendar: { terms: [{ name: 'Autumn', start: '2026-12-18', end: '2026-09-02' }] } })).toThrow(
      /term start must be on or before its end/,
    );
    expect(() => loadSchoolProfile({ ...demoSchool, calendar: { terms: [{ name: 'Autumn', start: '2026-02-30', end: '2026-09-02' }] } })).toThrow(
      /must be a real date/,
    );
  });

  it('gives roles only to listed staff (deny by default); everyone listed counts as staff', () => {
    const p = loadSchoolProfile(demoSchool);
    expect(rolesOf(p, '00000000-0000-0000-0000-0000000000021')).toEqual(['teacher', 'DSL', 'SLT']);
    expect(rolesOf(p, 'not-listed')).toEqual([]);
    expect(rolesOf(p, undefined)).toEqual([]);
  });
});
