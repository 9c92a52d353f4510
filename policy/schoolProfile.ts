import { z } from 'zod';
import { compareDates, IsoDate, isoDateSchema } from './dates';
import { resolvePolicy, ResolvedPolicy, schoolPolicySchema } from './profiles';
import { findLocalAuthority, sameAuthority } from './localAuthorities';
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

/**
 * Where the school's staff list comes from, besides the role holders named in `staff`: the members
 * of its staff team in Teams (read with the Teams roster API once the app is in that team), or of an
 * Entra ID security group (read with Microsoft Graph). Anyone in either is "any staff".
 */
export const staffSourceSchema = z.object({
  /** The staff team's Teams id (19:...@thread...), set from the card the app posts when it is added to a team. */
  teamId: z.string().trim().min(1).max(512).optional(),
  teamName: z.string().trim().max(256).optional(),
  /** An Entra ID security group whose members are the school's staff. */
  groupId: z.uuid('must be the group\'s object id (a GUID)').optional(),
});
export type StaffSource = z.infer<typeof staffSourceSchema>;

/**
 * Where the MIS drops its scheduled register export, for the bot to load unattended: a folder the
 * server can read, or a blob container reached with the app's managed identity.
 */
export const registerSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), path: z.string().trim().min(1).max(1024) }),
  z.object({
    kind: z.literal('blob'),
    /** https://<account>.blob.core.windows.net/<container> */
    containerUrl: z.url({ protocol: /^https?$/ }),
    /** Only blobs whose names start with this. */
    prefix: z.string().trim().max(256).optional(),
  }),
]);
export type RegisterSource = z.infer<typeof registerSourceSchema>;

/** Profiles written before policy profiles named a county pack; each maps to its pack's fullest seed. */
const LEGACY_PACK_PROFILE: Record<string, string> = { hertfordshire: 'leys', cambridgeshire: 'offord' };

function fromLegacyPack(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { pack, ...rest } = input as Record<string, unknown>;
  if (pack === undefined || 'policy' in rest) return input;
  return { ...rest, policy: { profile: typeof pack === 'string' ? (LEGACY_PACK_PROFILE[pack] ?? pack) : pack } };
}

/** The profile's fields, as stored. The file a school edits (policy/profileFile.ts) differs only in how staff are named. */
export const schoolProfileShape = z.object({
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
    /** Where the rest of the staff list comes from (the staff team or an Entra group). */
    staffSource: staffSourceSchema.optional(),
    /** Where the MIS's scheduled register export is picked up from, if it is. */
    registerSource: registerSourceSchema.optional(),
    /** The trust the school belongs to, when one deployment serves several schools. */
    trustId: z.string().regex(/^[a-z0-9-]{2,40}$/, 'lower-case letters, digits and hyphens, 2 to 40 characters').optional(),
  });

/** What the cross-field checks read: the stored profile, or the file's form of it (staff by email or id). */
export interface CheckedProfileFields {
  staff: ReadonlyArray<{ aadObjectId?: string; email?: string; roles: readonly string[] }>;
  virtualSchools: ReadonlyArray<{ localAuthority: string }>;
  localAuthority: string;
  calendar: { terms: ReadonlyArray<{ name: string; start: string; end: string; breaks: ReadonlyArray<{ start: string; end: string }> }> };
}

/**
 * The checks across fields that make a profile safe to route with, whatever form it came in. Each
 * problem names the exact field (down to the list item), so a file's line can be found from it.
 */
export interface ProfileProblem {
  path: Array<string | number>;
  message: string;
}

/** For a zod schema: the same checks, as its issues. */
export function checkProfile(p: CheckedProfileFields, ctx: z.RefinementCtx): void {
  for (const problem of profileProblems(p)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
}

export function profileProblems(p: CheckedProfileFields): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const ctx = { addIssue: (i: ProfileProblem & { code: 'custom' }) => problems.push({ path: i.path, message: i.message }) };
  if (!p.staff.some((s) => s.roles.includes('DSL'))) {
    ctx.addIssue({ code: 'custom', path: ['staff'], message: 'the profile names no Designated Safeguarding Lead (a member of staff with the role "DSL")' });
  }
  const las = new Map<string, number>();
  // "HERTS", "Hertfordshire" and "919" are one authority.
  const keyOf = (la: string) => findLocalAuthority(la)?.code ?? la.trim().toUpperCase();
  p.virtualSchools.forEach((vs, i) => {
    const key = keyOf(vs.localAuthority);
    if (las.has(key)) ctx.addIssue({ code: 'custom', path: ['virtualSchools', i, 'localAuthority'], message: `a second Virtual School for local authority ${vs.localAuthority} (the first is item ${las.get(key)! + 1})` });
    else las.set(key, i);
  });
  if (p.localAuthority.trim() !== '' && !las.has(keyOf(p.localAuthority))) {
    ctx.addIssue({ code: 'custom', path: ['virtualSchools'], message: `the Virtual School directory has no entry for the school's own local authority ${p.localAuthority}` });
  }
  const seen = new Map<string, number>();
  p.staff.forEach((member, i) => {
    for (const key of [member.aadObjectId, member.email?.toLowerCase()]) {
      if (!key) continue;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['staff', i], message: `${key} is listed twice (also item ${seen.get(key)! + 1})` });
      else seen.set(key, i);
    }
  });
  const terms = p.calendar.terms.map((t, i) => ({ ...t, i })).sort((x, y) => compareDates(x.start as IsoDate, y.start as IsoDate));
  for (let k = 1; k < terms.length; k++) {
    const before = terms[k - 1]!;
    const t = terms[k]!;
    if (compareDates(t.start as IsoDate, before.end as IsoDate) <= 0) {
      ctx.addIssue({ code: 'custom', path: ['calendar', 'terms', t.i, 'start'], message: `"${t.name}" starts on ${t.start}, before "${before.name}" ends (${before.end}): terms must not overlap` });
    }
  }
  p.calendar.terms.forEach((t, i) =>
    t.breaks.forEach((b, j) => {
      if (compareDates(b.start as IsoDate, t.start as IsoDate) < 0 || compareDates(b.end as IsoDate, t.end as IsoDate) > 0) {
        ctx.addIssue({ code: 'custom', path: ['calendar', 'terms', i, 'breaks', j], message: `a break from ${b.start} to ${b.end} is not inside "${t.name}" (${t.start} to ${t.end})` });
      }
    }),
  );
  return problems;
}

export const schoolProfileObjectSchema = schoolProfileShape.superRefine((p, ctx) => checkProfile(p, ctx));
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
  return profile.virtualSchools.find((v) => sameAuthority(v.localAuthority, localAuthority));
}
