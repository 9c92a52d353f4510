import { demoSchool } from '../../demo/demoSchool';
import { isoDate, IsoDate } from '../../policy/dates';
import { CohortStatus, Pupil, pupilSchema, PupilInput } from '../../policy/pupil';
import { PolicyProfileId } from '../../policy/profiles';
import { loadSchoolProfile, SchoolProfile, SchoolProfileInput } from '../../policy/schoolProfile';

/** SYNTHETIC test fixtures: made-up children and schools. */

/** Monday 23 November 2026, a normal school day in the autumn term. */
export const MONDAY: IsoDate = isoDate('2026-11-23');

/** The demo school's staff and calendar under one of the five policy profiles. */
export function profile(policy: PolicyProfileId, overrides: Partial<SchoolProfileInput> = {}): SchoolProfile {
  return loadSchoolProfile({ ...demoSchool, id: `test-${policy.toLowerCase()}`, policy: { profile: policy }, localAuthority: 'HERTS', ...overrides });
}

let n = 0;
export function pupil(statuses: CohortStatus[], overrides: Partial<PupilInput> = {}): Pupil {
  n++;
  return pupilSchema.parse({
    id: `p${n}`,
    schoolId: 'test',
    givenName: 'Testchild',
    familyName: `Number${n}`,
    yearGroup: '4',
    dateOfBirth: '2017-01-01',
    statuses,
    synthetic: true,
    ...overrides,
  });
}

export const CLA: CohortStatus = { kind: 'CLA', legalBasis: 's31', placingAuthority: 'ESSEX' };
export const CLA_HOME: CohortStatus = { kind: 'CLA', legalBasis: 's20', placingAuthority: 'HERTS' };
export const CPLA: CohortStatus = { kind: 'CPLA', route: 'adoption', evidenceSeen: false };
export const CWSW_CP: CohortStatus = { kind: 'CWSW', plan: 'CP' };
export const CWSW_CIN: CohortStatus = { kind: 'CWSW', plan: 'CIN' };
export const CWSW_ASSESSMENT: CohortStatus = { kind: 'CWSW', plan: 'assessment' };
export const CWSW_PAST: CohortStatus = { kind: 'CWSW', plan: 'CIN', endedOn: isoDate('2022-05-01') };
export const CWSW_EXPIRED: CohortStatus = { kind: 'CWSW', plan: 'CP', endedOn: isoDate('2020-05-01') };
export const KINSHIP: CohortStatus = { kind: 'KINSHIP', arrangement: 'informal' };

export const SOCIAL_WORKER = { name: 'Made-up Social Worker', email: 'sw@socialcare.example.org' };
