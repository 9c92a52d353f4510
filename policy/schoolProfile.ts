import { z } from 'zod';
import { compareDates, isoDateSchema } from './dates';
import { resolvePolicy, ResolvedPolicy, schoolPolicySchema } from './profiles';
import { Role, roleSchema } from './roles';

export const schoolIdSchema = z.string().regex(/^[a-z0-9-]{2,40}$/, 'lower-case letters, digits and hyphens, 2 to 40 characters');

export const staffMemberSchema = z.object({
  /** Entra ID (Azure AD) object id: the only identity the bot trusts for roles. */
  aadObjectId: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(120),
  email: z.email().max(254).optional(),
  roles: z.array(roleSchema).min(1),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const virtualSchoolSchema = z.object({
  localAuthority: z.string().trim().min(2).max(40),
  name: z.string().trim().min(1).max(120),
  email: z.email().max(254),
  phone: z.string().trim().max(40).optional(),
});
export type VirtualSchool = z.infer<typeof virtualSchoolSchema>;

const dateRange = z
  .object({ start: isoDateSchema, end: isoDateSchema, name: z.string().trim().max(80).optional() })
  .refine((r) => compareDates(r.start, r.end) <= 0, { message: 'start must be on or before end' });

export const termSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    start: isoDateSchema,
    end: isoDateSchema,
    /** Half-term holidays and other breaks inside the term. */
    breaks: z.array(dateRange).default([]),
  })
  .refine((t) => compareDates(t.start, t.end) <= 0, { message: 'term start must be on or before its end' });
export type Term = z.infer<typeof termSchema>;

export const calendarSchema = z.object({
  terms: z.array(termSchema).min(1, 'at least one term is needed to count school days'),
  /** INSET days and other closures on top of holidays and bank holidays. */
  closures: z.array(dateRange).default([]),
});
export type CalendarData = z.infer<typeof calendarSchema>;

/**
 * Statutory thresholds (Working together to improve school attendance, 2024: persistent absence is
 * missing 10% or more of sessions, severe 50% or more; the local authority is told of 10 school days'
 * unauthorised absence). A school may only make them stricter: a looser profile is refused on load.
 */
export const thresholdsSchema = z
  .object({
    /** At or below this attendance % a pupil is persistently absent. */
    persistentAbsencePercent: z
      .number()
      .min(90, 'may only be stricter than the statutory threshold: persistent absence is attendance of 90% or less (missing 10% of sessions), so give 90 or more')
      .max(100)
      .default(90),
    /** At or below this % a pupil is severely absent. */
    severeAbsencePercent: z
      .number()
      .min(50, 'may only be stricter than the statutory threshold: severe absence is attendance of 50% or less, so give 50 or more')
      .max(100)
      .default(50),
    /** Consecutive school days of unauthorised absence after which the local authority is told. */
    consecutiveUnauthorisedDays: z
      .number()
      .int()
      .min(1)
      .max(10, 'may only be stricter than the statutory threshold: the local authority is told after 10 consecutive school days at most')
      .default(10),
    /** How many school days before a term ends to remind about a missing PEP. */
    pepReminderSchoolDays: z.number().int().min(1).max(30).default(10),
  })
  .refine((t) => t.severeAbsencePercent < t.persistentAbsencePercent, { message: 'severe absence must be a lower attendance than persistent absence', path: ['severeAbsencePercent'] });
export type Thresholds = z.infer<typeof thresholdsSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time written HH:MM (24-hour)');

export const schoolDaySchema = z
  .object({ start: hhmm.default('08:30'), end: hhmm.default('15:30') })
  .refine((d) => d.start < d.end, { message: 'the school day must start before it ends' });
export type SchoolDay = z.infer<typeof schoolDaySchema>;

/** "2 school hours" for a suspension risk and "the same school day" for attendance (issue defaults). */
export const approvalWindowSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('schoolHours'), hours: z.number().min(0.25).max(40) }),
  z.object({ kind: z.literal('sameDay') }),
]);
export type ApprovalWindow = z.infer<typeof approvalWindowSchema>;

export const approvalWindowsSchema = z.object({
  attendance: approvalWindowSchema.default({ kind: 'sameDay' }),
  suspension: approvalWindowSchema.default({ kind: 'schoolHours', hours: 2 }),
  admission: approvalWindowSchema.default({ kind: 'sameDay' }),
});

export const digestSettingsSchema = z.object({
  /** 1 = Monday ... 5 = Friday. */
  weekday: z.number().int().min(1).max(5).default(1),
  time: hhmm.default('08:00'),
  /** The SLT channel's Teams conversation id; the digest is not posted until it is set. */
  channelConversationId: z.string().trim().min(1).max(512).optional(),
});
export type DigestSettings = z.infer<typeof digestSettingsSchema>;

/**
 * Child protection records are kept until the child's 25th birthday (the Information and Records
 * Management Society's retention schedule for schools, which KCSIE's record-keeping points to).
 * A school or trust may keep them longer, never shorter.
 */
export const retentionSettingsSchema = z.object({
  yearsAfterBirth: z.number().int().min(25).max(100).default(25),
});

/** The local authority's exclusions team: told without delay of every suspension and permanent exclusion. */
export const exclusionsContactSchema = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.email().max(254),
  phone: z.string().trim().max(40).optional(),
});

/** Profiles written before policy profiles named a county pack; each maps to its pack's fullest seed. */
const LEGACY_PACK_PROFILE: Record<string, string> = { hertfordshire: 'leys', cambridgeshire: 'offord' };

function fromLegacyPack(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { pack, ...rest } = input as Record<string, unknown>;
  if (pack === undefined || 'policy' in rest) return input;
  return { ...rest, policy: { profile: typeof pack === 'string' ? (LEGACY_PACK_PROFILE[pack] ?? pack) : pack } };
}

export const schoolProfileObjectSchema = z
  .object({
    id: schoolIdSchema,
    name: z.string().trim().min(1).max(120),
    /** The school's own policy: the closest of the five profiles, and what its document adds or leaves out. */
    policy: schoolPolicySchema,
    exclusionsContact: exclusionsContactSchema,
    /** Entra ID tenant the school's staff sign in from. */
    tenantId: z.string().trim().min(1).max(64),
    /** The school's own local authority (its Virtual School serves children it places). */
    localAuthority: z.string().trim().min(2).max(40),
    staff: z.array(staffMemberSchema).min(1),
    virtualSchools: z.array(virtualSchoolSchema).min(1),
    calendar: calendarSchema,
    thresholds: thresholdsSchema.default(thresholdsSchema.parse({})),
    /** Steps that leave the school need a DSL's approval before they are sent unless this is false. */
    externalStepsNeedApproval: z.boolean().default(true),
    /** The school day, for "school hours" windows (London time, 24-hour "HH:MM"). */
    schoolDay: schoolDaySchema.default(schoolDaySchema.parse({})),
    /** How long an approval may wait before the DSL is reminded, then the deputy and headteacher told. */
    approvalWindows: approvalWindowsSchema.default(approvalWindowsSchema.parse({})),
    /** The mailbox external emails are sent from (Microsoft Graph sendMail); a shared safeguarding mailbox. */
    senderMailbox: z.email().max(254).optional(),
    /** The weekly digest for the senior leadership team: when (London time) and into which channel. */
    digest: digestSettingsSchema.default(digestSettingsSchema.parse({})),
    /** The DT's notes on how Pupil Premium Plus is used, for the governors' report. */
    ppPlusNotes: z.string().trim().max(2000).optional(),
    /** How long records are kept (see policy/retention.ts). */
    retention: retentionSettingsSchema.default(retentionSettingsSchema.parse({})),
    /** Marks the demo school and test fixtures. */
    synthetic: z.boolean().optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.staff.some((s) => s.roles.includes('DSL'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['staff'],
        message: 'the profile names no Designated Safeguarding Lead (a member of staff with the role "DSL")',
      });
    }
    const las = new Set<string>();
    for (const vs of p.virtualSchools) {
      const key = vs.localAuthority.toUpperCase();
      if (las.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['virtualSchools'], message: `two Virtual Schools for local authority ${vs.localAuthority}` });
      }
      las.add(key);
    }
    if (!las.has(p.localAuthority.toUpperCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['virtualSchools'],
        message: `the Virtual School directory has no entry for the school's own local authority ${p.localAuthority}`,
      });
    }
    const ids = new Set<string>();
    for (const s of p.staff) {
      if (ids.has(s.aadObjectId)) ctx.addIssue({ code: 'custom', path: ['staff'], message: `staff member ${s.aadObjectId} is listed twice` });
      ids.add(s.aadObjectId);
    }
  });
export const schoolProfileSchema = z.preprocess(fromLegacyPack, schoolProfileObjectSchema);
export type SchoolProfile = z.infer<typeof schoolProfileObjectSchema>;
export type SchoolProfileInput = z.input<typeof schoolProfileObjectSchema>;

/** The school's policy, resolved: which rules it states and the sentence behind each. */
export function schoolPolicy(profile: Pick<SchoolProfile, 'policy'>): ResolvedPolicy {
  return resolvePolicy(profile.policy);
}

export class ProfileError extends Error {
  constructor(
    readonly schoolId: string,
    readonly problems: string[],
  ) {
    super(`School profile ${schoolId} is not valid: ${problems.join('; ')}`);
    this.name = 'ProfileError';
  }
}

/** Validates a profile on load; a profile that would route wrongly is refused, never half-used. */
export function loadSchoolProfile(input: unknown): SchoolProfile {
  const result = schoolProfileSchema.safeParse(input);
  if (result.success) return result.data;
  const id = typeof input === 'object' && input !== null && 'id' in input ? String((input as { id: unknown }).id) : '(no id)';
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new ProfileError(id, problems);
}

export function rolesOf(profile: SchoolProfile, aadObjectId: string | undefined): Role[] {
  if (!aadObjectId) return [];
  const member = profile.staff.find((s) => s.aadObjectId === aadObjectId);
  if (!member) return [];
  // Everyone listed is at least "any staff", whatever else they hold.
  return member.roles.includes('teacher') ? member.roles : ['teacher', ...member.roles];
}

export function staffWithRole(profile: SchoolProfile, role: Role): StaffMember[] {
  return profile.staff.filter((s) => s.roles.includes(role));
}

export function virtualSchoolFor(profile: SchoolProfile, localAuthority: string): VirtualSchool | undefined {
  const key = localAuthority.toUpperCase();
  return profile.virtualSchools.find((v) => v.localAuthority.toUpperCase() === key);
}
