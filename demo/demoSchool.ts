import { PupilInput } from '../policy/pupil';
import { SchoolProfileInput } from '../policy/schoolProfile';

/**
 * SYNTHETIC DEMO DATA. Every pupil, member of staff, address and contact below is made up for the
 * local demo and tests. Email addresses use the reserved example.org domain so nothing can reach a
 * real inbox. Staff ids match the users of the Microsoft 365 Agents Playground.
 */
export const DEMO_SCHOOL_ID = 'oakfield-demo';
export const PLAYGROUND_TENANT_ID = '00000000-0000-0000-0000-0000000000001';

export const DEMO_STAFF = {
  teacher: { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' },
  dsl: { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' },
  dt: { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' },
  deputyDsl: { aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' },
  headteacher: { aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' },
  senco: { aadObjectId: '00000000-0000-0000-0000-0000000000025', name: 'Lynne Robbins' },
} as const;

/** Term dates in the usual shape of an English maintained school's year. */
const TERMS: SchoolProfileInput['calendar']['terms'] = [
  { name: 'Autumn 2025', start: '2025-09-03', end: '2025-12-19', breaks: [{ name: 'Half term', start: '2025-10-27', end: '2025-10-31' }] },
  { name: 'Spring 2026', start: '2026-01-05', end: '2026-03-27', breaks: [{ name: 'Half term', start: '2026-02-16', end: '2026-02-20' }] },
  { name: 'Summer 2026', start: '2026-04-13', end: '2026-07-22', breaks: [{ name: 'Half term', start: '2026-05-25', end: '2026-05-29' }] },
  { name: 'Autumn 2026', start: '2026-09-02', end: '2026-12-18', breaks: [{ name: 'Half term', start: '2026-10-26', end: '2026-10-30' }] },
  { name: 'Spring 2027', start: '2027-01-05', end: '2027-03-25', breaks: [{ name: 'Half term', start: '2027-02-15', end: '2027-02-19' }] },
  { name: 'Summer 2027', start: '2027-04-12', end: '2027-07-21', breaks: [{ name: 'Half term', start: '2027-05-31', end: '2027-06-04' }] },
];

export const demoSchool: SchoolProfileInput = {
  id: DEMO_SCHOOL_ID,
  name: 'Oakfield Primary (demo)',
  // The Leys' policy (Hertfordshire): it covers kinship care, so every demo child is in scope.
  // `DEMO_POLICY=<profile> npm start` runs the demo under another of the five (README).
  policy: { profile: 'leys' },
  exclusionsContact: { name: 'Hertfordshire exclusions team (demo)', email: 'exclusions@herts-la.example.org', phone: '01632 960010' },
  tenantId: PLAYGROUND_TENANT_ID,
  localAuthority: 'HERTS',
  synthetic: true,
  staff: [
    { ...DEMO_STAFF.teacher, email: 'alex.wilber@oakfield.example.org', roles: ['teacher'] },
    { ...DEMO_STAFF.dsl, email: 'megan.bowen@oakfield.example.org', roles: ['DSL', 'SLT'] },
    { ...DEMO_STAFF.dt, email: 'adele.vance@oakfield.example.org', roles: ['DT', 'SLT'] },
    { ...DEMO_STAFF.deputyDsl, email: 'isaiah.langer@oakfield.example.org', roles: ['deputyDSL'] },
    { ...DEMO_STAFF.headteacher, email: 'patti.fernandez@oakfield.example.org', roles: ['headteacher', 'SLT'] },
    { ...DEMO_STAFF.senco, email: 'lynne.robbins@oakfield.example.org', roles: ['SENCO', 'attendanceLead'] },
  ],
  virtualSchools: [
    { localAuthority: 'HERTS', name: 'Hertfordshire Virtual School (demo)', email: 'virtualschool@herts-vs.example.org', phone: '01632 960001' },
    { localAuthority: 'ESSEX', name: 'Essex Virtual School (demo)', email: 'virtualschool@essex-vs.example.org', phone: '01632 960002' },
    { localAuthority: 'LUTON', name: 'Luton Virtual School (demo)', email: 'virtualschool@luton-vs.example.org', phone: '01632 960003' },
  ],
  calendar: { terms: TERMS, closures: [{ name: 'Staff training (INSET) day', start: '2027-01-04', end: '2027-01-04' }] },
  // No channel yet: opened in the Playground, the team's "General" channel (standing in for the SLT
  // channel) gets the set-up card, and the DSL chooses it there (README, "The digest").
  digest: { weekday: 1, time: '08:00' },
  ppPlusNotes: 'Demo: PP+ funds a weekly therapeutic play session and a tutor for two children in care, agreed in their PEPs.',
};

const sw = (name: string, la: string) => ({
  name,
  email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${la}-socialcare.example.org`,
  phone: '01632 960100',
  organisation: `${la.toUpperCase()} children's services (demo)`,
});

const pupil = (p: Omit<PupilInput, 'schoolId' | 'synthetic'>): PupilInput => ({ schoolId: DEMO_SCHOOL_ID, synthetic: true, ...p });

/** One or more children for every cohort status, including one whose past plan has dropped out of the six-year window. */
export const demoPupils: PupilInput[] = [
  pupil({
    id: 'demo-p01', givenName: 'Sam', familyName: 'Thistlewood', yearGroup: '4', dateOfBirth: '2017-03-14',
    statuses: [{ kind: 'CLA', legalBasis: 's31', placingAuthority: 'HERTS', since: '2023-06-01' }],
    send: 'senSupport', ppPlusEligible: true, socialWorker: sw('Jo Marsh', 'herts'), carers: [{ name: 'Foster carers: the Nightingales (demo)' }],
    keyAdult: 'Mrs Okafor (demo)', peps: [{ date: '2026-03-10' }, { date: '2026-06-16' }, { date: '2026-10-06' }], sdqDate: '2026-05-12', attendancePercent: 93.5, onRollSince: '2023-09-06',
  }),
  pupil({
    id: 'demo-p02', givenName: 'Kai', familyName: 'Marchbank', yearGroup: '6', dateOfBirth: '2015-01-22',
    statuses: [{ kind: 'CLA', legalBasis: 's20', placingAuthority: 'ESSEX', since: '2025-11-03' }],
    send: 'none', ppPlusEligible: true, socialWorker: sw('Priya Castell', 'essex'), carers: [{ name: 'Residential keyworker (demo)' }],
    peps: [{ date: '2026-02-05' }], attendancePercent: 86.2, onRollSince: '2025-11-10',
  }),
  pupil({
    id: 'demo-p03', givenName: 'Ellis', familyName: 'Fairweather', yearGroup: '2', dateOfBirth: '2019-07-30',
    statuses: [{ kind: 'CLA', legalBasis: 's38', placingAuthority: 'LUTON', since: '2026-09-14' }],
    send: 'ehcp', ppPlusEligible: true, socialWorker: sw('Tom Abbey', 'luton'), carers: [{ name: 'Kinship foster carer: grandmother (demo)' }],
    peps: [], attendancePercent: 97.0, onRollSince: '2026-09-21',
  }),
  pupil({
    id: 'demo-p04', givenName: 'Poppy', familyName: 'Lanternwick', yearGroup: '3', dateOfBirth: '2018-05-02',
    statuses: [{ kind: 'CPLA', route: 'adoption', evidenceSeen: true }],
    send: 'none', ppPlusEligible: true, carers: [{ name: 'Adoptive parents (demo)' }], attendancePercent: 95.1,
  }),
  pupil({
    id: 'demo-p05', givenName: 'Jude', familyName: 'Brightwater', yearGroup: '5', dateOfBirth: '2016-09-18',
    statuses: [{ kind: 'CPLA', route: 'SGO', evidenceSeen: false }],
    send: 'ehcp', ppPlusEligible: false, carers: [{ name: 'Special guardian: aunt (demo)' }], attendancePercent: 88.9,
  }),
  pupil({
    id: 'demo-p06', givenName: 'Noah', familyName: 'Quillfeather', yearGroup: '1', dateOfBirth: '2020-02-11',
    statuses: [{ kind: 'CPLA', route: 'CAO', evidenceSeen: true }],
    send: 'none', ppPlusEligible: true, carers: [{ name: 'Grandparents (child arrangements order) (demo)' }], attendancePercent: 96.4,
  }),
  pupil({
    id: 'demo-p07', givenName: 'Amara', familyName: 'Windmere', yearGroup: '4', dateOfBirth: '2017-11-05',
    statuses: [{ kind: 'CWSW', plan: 'CP' }],
    send: 'senSupport', socialWorker: sw('Dee Holloway', 'herts'), carers: [{ name: 'Mother (demo)' }], attendancePercent: 81.0,
  }),
  pupil({
    id: 'demo-p08', givenName: 'Leo', familyName: 'Hazelgrove', yearGroup: '6', dateOfBirth: '2015-04-27',
    statuses: [{ kind: 'CWSW', plan: 'CIN' }],
    send: 'none', socialWorker: sw('Ravi Penrose', 'herts'), carers: [{ name: 'Father (demo)' }], attendancePercent: 49.5,
  }),
  pupil({
    id: 'demo-p09', givenName: 'Isla', familyName: 'Copperfield', yearGroup: '5', dateOfBirth: '2016-06-09',
    statuses: [{ kind: 'CWSW', plan: 'CP', endedOn: '2023-03-15' }],
    send: 'none', carers: [{ name: 'Parents (demo)' }], attendancePercent: 94.0,
  }),
  pupil({
    id: 'demo-p10', givenName: 'Finn', familyName: 'Oakridge', yearGroup: '6', dateOfBirth: '2015-10-12',
    statuses: [{ kind: 'CWSW', plan: 'CIN', endedOn: '2019-01-10' }],
    send: 'none', carers: [{ name: 'Parents (demo)' }], attendancePercent: 98.2,
  }),
  pupil({
    id: 'demo-p11', givenName: 'Maya', familyName: 'Rowanberry', yearGroup: '3', dateOfBirth: '2018-08-21',
    statuses: [{ kind: 'KINSHIP', arrangement: 'formal' }],
    send: 'none', carers: [{ name: 'Grandmother (kinship carer) (demo)' }], attendancePercent: 92.3,
  }),
  pupil({
    id: 'demo-p12', givenName: 'Theo', familyName: 'Ashdown', yearGroup: '2', dateOfBirth: '2019-12-01',
    statuses: [{ kind: 'KINSHIP', arrangement: 'informal' }, { kind: 'CWSW', plan: 'CIN' }],
    send: 'senSupport', socialWorker: sw('Ana Whitcombe', 'herts'), carers: [{ name: 'Older sibling (kinship carer) (demo)' }], attendancePercent: 89.7,
  }),
];
