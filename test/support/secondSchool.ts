import { demoPupils, demoSchool } from '../../demo/demoSchool';
import { seedDemoSchoolIfEmpty } from '../../demo/seed';
import { PupilInput, pupilSchema } from '../../policy/pupil';
import { loadSchoolProfile, SchoolProfileInput } from '../../policy/schoolProfile';
import { PupilRepository } from '../../storage/pupilRepository';
import { SchoolRepository } from '../../storage/schoolRepository';
import { TABLES, TableStore } from '../../storage/tableStore';
import { startTestApp, TestApp } from './app';
import { azuriteConnectionString, uniquePrefix } from './store';

/**
 * SYNTHETIC TEST DATA. A second made-up school ("school B") in another Entra ID tenant, kept in the
 * same store as the demo school ("school A") so that tests can show one school never reaches the
 * other's children. Every person, pupil and address below is invented; emails use example.org.
 */
export const SCHOOL_B_ID = 'brookside-synthetic';
export const SCHOOL_B_TENANT_ID = 'bbbbbbbb-0000-0000-0000-00000000000b';

export const SCHOOL_B_STAFF = {
  teacher: { aadObjectId: 'bbbbbbbb-0000-0000-0000-0000000000b0', name: 'Rowan Pickering' },
  dsl: { aadObjectId: 'bbbbbbbb-0000-0000-0000-0000000000b1', name: 'Hollis Tregarthen' },
  dt: { aadObjectId: 'bbbbbbbb-0000-0000-0000-0000000000b2', name: 'Marisol Quayle' },
} as const;

export const schoolB: SchoolProfileInput = {
  ...demoSchool,
  id: SCHOOL_B_ID,
  name: 'Brookside Primary (synthetic)',
  tenantId: SCHOOL_B_TENANT_ID,
  synthetic: true,
  staff: [
    { ...SCHOOL_B_STAFF.teacher, email: 'rowan.pickering@brookside.example.org', roles: ['teacher'] },
    { ...SCHOOL_B_STAFF.dsl, email: 'hollis.tregarthen@brookside.example.org', roles: ['DSL', 'SLT'] },
    { ...SCHOOL_B_STAFF.dt, email: 'marisol.quayle@brookside.example.org', roles: ['DT'] },
  ],
  digest: { weekday: 1, time: '08:00', channelConversationId: 'team-b' },
  ppPlusNotes: 'Synthetic: a second school for tenancy tests.',
};

const pupilB = (p: Omit<PupilInput, 'schoolId' | 'synthetic'>): PupilInput => ({ schoolId: SCHOOL_B_ID, synthetic: true, ...p });

/** Names share no word, nor the start of one, with the demo school's children. */
export const schoolBPupils: PupilInput[] = [
  pupilB({
    id: 'brook-p01', givenName: 'Zephyrine', familyName: 'Quennell', yearGroup: '5', dateOfBirth: '2016-02-03',
    statuses: [{ kind: 'CLA', legalBasis: 's31', placingAuthority: 'HERTS', since: '2024-01-08' }],
    send: 'none', ppPlusEligible: true, socialWorker: { name: 'Ilse Varden', email: 'ilse.varden@herts-socialcare.example.org' },
    carers: [{ name: 'Foster carers (synthetic)' }], peps: [{ date: '2026-10-01' }], attendancePercent: 91.0,
  }),
  pupilB({
    id: 'brook-p02', givenName: 'Ignatius', familyName: 'Vexley', yearGroup: '3', dateOfBirth: '2018-04-19',
    statuses: [{ kind: 'CWSW', plan: 'CP' }],
    send: 'none', socialWorker: { name: 'Ulla Dunmore', email: 'ulla.dunmore@herts-socialcare.example.org' }, carers: [{ name: 'Mother (synthetic)' }], attendancePercent: 84.0,
  }),
  pupilB({
    id: 'brook-p03', givenName: 'Cosmo', familyName: 'Gildersleeve', yearGroup: '6', dateOfBirth: '2015-09-30',
    statuses: [{ kind: 'CPLA', route: 'adoption', evidenceSeen: true }],
    send: 'none', carers: [{ name: 'Adoptive parents (synthetic)' }], attendancePercent: 96.0,
  }),
];

/** Every name a test may look for in a reply, by school. */
export const SCHOOL_A_PUPIL_NAMES = demoPupils.map((p) => `${p.givenName} ${p.familyName}`);
export const SCHOOL_B_PUPIL_NAMES = schoolBPupils.map((p) => `${p.givenName} ${p.familyName}`);
export const SCHOOL_B_PUPIL_IDS = schoolBPupils.map((p) => p.id);

/** Adds school B to a store (the demo school is seeded separately, and first). */
export async function seedSchoolB(store: TableStore): Promise<void> {
  const profile = loadSchoolProfile(schoolB);
  await new PupilRepository(store.client(TABLES.pupils)).saveAll(profile.id, schoolBPupils.map((p) => pupilSchema.parse(p)));
  await new SchoolRepository(store.client(TABLES.schools)).save(profile);
}

/** The whole app over HTTP (as startTestApp) on a store that holds both schools before it starts. */
export async function startTwoSchoolApp(env: Record<string, string> = {}): Promise<TestApp> {
  const prefix = await seedTwoSchools();
  return startTestApp({ ...env, TABLE_PREFIX: prefix });
}

/** Fresh tables holding school A (the demo school) and school B; returns their table prefix. */
export async function seedTwoSchools(connectionString = azuriteConnectionString()): Promise<string> {
  const prefix = uniquePrefix();
  const store = new TableStore({ connectionString, tablePrefix: prefix });
  await store.ensureTables();
  await seedDemoSchoolIfEmpty(new SchoolRepository(store.client(TABLES.schools)), new PupilRepository(store.client(TABLES.pupils)));
  await seedSchoolB(store);
  return prefix;
}
