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

  it('refuses a policy pack that does not exist, naming the packs that do', () => {
    expect(() => loadSchoolProfile({ ...demoSchool, pack: 'yorkshire' })).toThrow(
      'School profile oakfield-demo is not valid: pack: policy pack "yorkshire" does not exist; choose one of: hertfordshire, cambridgeshire',
    );
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
