import { DEMO_STAFF, demoSchool, PLAYGROUND_TENANT_ID } from '../../demo/demoSchool';
import { PupilInput, pupilSchema } from '../../policy/pupil';
import { loadSchoolProfile, SchoolProfileInput } from '../../policy/schoolProfile';
import { PupilRepository } from '../../storage/pupilRepository';
import { SchoolRepository } from '../../storage/schoolRepository';
import { TABLES, TableStore } from '../../storage/tableStore';
import { TrustRepository } from '../../storage/trustRepository';

/**
 * SYNTHETIC TEST DATA. A second school of the demo's tenant, Willowbrook, in a made-up trust:
 * Isaiah Langer (Oakfield's deputy DSL) is its DSL, Tamsin Rook its headteacher, and the trust has
 * an administrator who is on no school's staff. Every name, id and address here is invented.
 */
export const TRUST_ID = 'chiltern-trust';
export const TRUST_ADMIN = { aadObjectId: '00000000-0000-0000-0000-0000000000090', name: 'Jordan Ashcombe' };
export const WILLOW_ID = 'willowbrook-synthetic';
export const WILLOW_HEAD = { aadObjectId: '00000000-0000-0000-0000-0000000000091', name: 'Tamsin Rook' };

/** Willowbrook's profile, with any other staff given; no leadership channel chosen yet. */
export function willowbrookProfile(otherStaff: SchoolProfileInput['staff'] = []): SchoolProfileInput {
  return {
    ...demoSchool,
    id: WILLOW_ID,
    name: 'Willowbrook Primary (synthetic)',
    trustId: TRUST_ID,
    staff: [
      { ...DEMO_STAFF.deputyDsl, email: 'isaiah.langer@oakfield.example.org', roles: ['DSL'] },
      ...otherStaff,
      { ...WILLOW_HEAD, email: 'tamsin.rook@willowbrook.example.org', roles: ['headteacher'] },
    ],
    digest: { weekday: 1, time: '08:00' },
  };
}

export const willowPupil = (p: Omit<PupilInput, 'schoolId' | 'synthetic'>): PupilInput => ({ schoolId: WILLOW_ID, synthetic: true, ...p });

/** Orla, in care (placed by Hertfordshire): a name that shares no word with the demo school's or school B's children. */
export const ORLA = willowPupil({
  id: 'willow-p01', givenName: 'Orla', familyName: 'Pennywhistle', yearGroup: '3', dateOfBirth: '2018-01-12',
  statuses: [{ kind: 'CLA', legalBasis: 's20', placingAuthority: 'HERTS', since: '2025-02-03' }],
  send: 'none', ppPlusEligible: true, carers: [{ name: 'Foster carers (synthetic)' }], peps: [{ date: '2026-10-05' }], attendancePercent: 92.0,
});

/** Saves Willowbrook, its pupils and the trust into a store the demo school is already in. */
export async function seedWillowbrook(store: TableStore, profile: SchoolProfileInput, pupils: PupilInput[]): Promise<void> {
  await new SchoolRepository(store.client(TABLES.schools)).save(loadSchoolProfile(profile));
  await new PupilRepository(store.client(TABLES.pupils)).saveAll(WILLOW_ID, pupils.map((p) => pupilSchema.parse(p)));
  await new TrustRepository(store.client(TABLES.schools)).save({ id: TRUST_ID, name: 'Chiltern Learning Trust (synthetic)', tenantId: PLAYGROUND_TENANT_ID, admins: [TRUST_ADMIN], virtualSchools: [] });
}
