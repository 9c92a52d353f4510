import { z } from 'zod';
import { describeChanges, FileProblem, filePersonFields, FILL_IN, parseProfileFile, parseSettingsFile, problemAt, ProfileFile, profileToYaml } from '../policy/profileFile';
import { Trust, TrustRepository, trustSchema } from '../storage/trustRepository';
import { POLICY_PROFILE_IDS, PolicyProfileId } from '../policy/profiles';
import { CalendarData, loadSchoolProfile, ProfileError, SchoolProfile, StaffMember } from '../policy/schoolProfile';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { StaffPerson, StaffRepository } from '../storage/staffRepository';

export interface SetupActor {
  aadObjectId: string;
  name: string;
}

export type SetupPlan =
  | { ok: false; problems: FileProblem[] }
  | { ok: true; profile: SchoolProfile; before: SchoolProfile | undefined; etag: string | undefined; changes: string[] };

export type ApplyResult = SetupPlan & { applied?: boolean };

/** Editors (VS Code's YAML extension, JetBrains) read this line and complete and check the file as you type; the schema is written beside the file. */
export const SCHEMA_FILE = 'school-profile.schema.json';
export const SCHEMA_COMMENT = ` yaml-language-server: $schema=./${SCHEMA_FILE}`;

/**
 * A school set up and changed from its profile file, with no JSON typed by hand: read and checked
 * (every problem with its line), people named by email found in Microsoft 365 (the staff team's
 * roster, or their first chat with the bot), compared with what is stored, and saved in one write
 * that fails rather than overwrite a change made meanwhile. Every save is in the school's audit trail.
 */
export class SchoolSetup {
  constructor(
    private readonly deps: {
      schools: SchoolRepository;
      staff: StaffRepository;
      audit: RecordAuditRepository;
      clock: () => Date;
      /** Tells this instance's caches that a profile changed (others notice within their cache time). */
      changed?: () => void;
      trusts?: TrustRepository;
    },
  ) {}

  /** Reads a file and says what applying it would do, changing nothing. */
  async plan(text: string): Promise<SetupPlan> {
    const parsed = parseProfileFile(text);
    if (!parsed.ok) return parsed;
    const file = parsed.profile;
    const stored = await this.deps.schools.getWithEtag(file.id);
    if (stored && stored.profile.tenantId !== file.tenantId) {
      return { ok: false, problems: [problemAt(text, ['tenantId'], `a school with the id ${file.id} already exists in another tenant: choose another id`)] };
    }
    const others = (await this.deps.schools.list()).filter((s) => s.tenantId === file.tenantId).map((s) => s.id);
    const known = await this.deps.staff.known(file.tenantId, [...new Set([...others, file.id])]);
    const resolved = resolveStaff(text, file, stored?.profile, known);
    if (!resolved.ok) return resolved;
    let profile: SchoolProfile;
    try {
      profile = loadSchoolProfile(keepTeamsChoices({ ...file, staff: resolved.staff }, stored?.profile));
    } catch (err) {
      if (!(err instanceof ProfileError)) throw err;
      return { ok: false, problems: err.problems.map((p) => ({ line: 0, field: p.split(':')[0] ?? '', message: p.slice(p.indexOf(':') + 1).trim() })) };
    }
    return { ok: true, profile, before: stored?.profile, etag: stored?.etag, changes: describeChanges(stored?.profile, profile) };
  }

  /** Applies a file: the same file twice changes nothing the second time. */
  async apply(text: string, actor: SetupActor, options: { dryRun?: boolean } = {}): Promise<ApplyResult> {
    const plan = await this.plan(text);
    if (!plan.ok || options.dryRun || plan.changes.length === 0) return { ...plan, applied: false };
    await this.deps.schools.saveIf(plan.profile, plan.etag);
    await this.deps.audit.recordSettingsChange(plan.profile.id, {
      at: this.deps.clock().toISOString(),
      actor,
      action: plan.before ? 'profileApplied' : 'schoolCreated',
      detail: { changes: plan.changes.length, summary: plan.changes.join('; ').slice(0, 1000) },
    });
    this.deps.changed?.();
    return { ...plan, applied: true };
  }

  /**
   * New term dates for a stored school (from its local authority's file, read by
   * policy/termDates.ts): replaces the terms and closures, says what changed, records it.
   */
  async importTermDates(schoolId: string, calendar: CalendarData, actor: SetupActor, options: { dryRun?: boolean } = {}): Promise<{ ok: true; changes: string[]; applied: boolean } | { ok: false; problems: string[] }> {
    const stored = await this.deps.schools.getWithEtag(schoolId);
    if (!stored) return { ok: false, problems: [`No school with the id "${schoolId}".`] };
    let next: SchoolProfile;
    try {
      next = loadSchoolProfile({ ...stored.profile, calendar });
    } catch (err) {
      if (!(err instanceof ProfileError)) throw err;
      return { ok: false, problems: err.problems };
    }
    const changes = describeChanges(stored.profile, next);
    if (options.dryRun || changes.length === 0) return { ok: true, changes, applied: false };
    await this.deps.schools.saveIf(next, stored.etag);
    await this.deps.audit.recordSettingsChange(schoolId, { at: this.deps.clock().toISOString(), actor, action: 'termDatesImported', detail: { terms: calendar.terms.length, closures: calendar.closures.length } });
    this.deps.changed?.();
    return { ok: true, changes, applied: true };
  }

  /**
   * A trust from its file: its administrators (named by email, found like role holders) and the
   * Virtual School contacts its schools share. Recorded in the audit trail of each of its schools,
   * since its administrators may change them.
   */
  async applyTrust(text: string, actor: SetupActor, options: { dryRun?: boolean } = {}): Promise<{ ok: false; problems: FileProblem[] } | { ok: true; trust: Trust; changes: string[]; applied: boolean }> {
    const read = parseSettingsFile(text, trustFileSchema, 'a trust: it should have "id:", "name:", "tenantId:" and "admins:"');
    if (!read.ok) return read;
    const file = read.value;
    const schools = (await this.deps.schools.list()).filter((s) => s.tenantId === file.tenantId);
    const before = this.deps.trusts ? await this.deps.trusts.get(file.id) : undefined;
    if (before && before.tenantId !== file.tenantId) return { ok: false, problems: [problemAt(text, ['tenantId'], `a trust with the id ${file.id} already exists in another tenant`)] };
    const known = await this.deps.staff.known(file.tenantId, schools.map((s) => s.id));
    const byEmail = new Map(known.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), p.aadObjectId]));
    for (const a of before?.admins ?? []) if (a.email) byEmail.set(a.email.toLowerCase(), a.aadObjectId);
    const problems: FileProblem[] = [];
    const admins = file.admins.flatMap((a, i) => {
      const id = a.aadObjectId ?? (a.email ? byEmail.get(a.email.toLowerCase()) : undefined);
      if (id) return [{ aadObjectId: id, name: a.name, ...(a.email ? { email: a.email } : {}) }];
      problems.push(problemAt(text, ['admins', i, 'email'], `${a.email} is not known to the app yet: ask ${a.name} to say hello to the bot in Teams, then apply again (or give their Entra object id as aadObjectId)`));
      return [];
    });
    if (problems.length > 0) return { ok: false, problems };
    const trust = trustSchema.parse({ ...file, admins });
    const changes = describeTrustChanges(before, trust);
    if (options.dryRun || changes.length === 0 || !this.deps.trusts) return { ok: true, trust, changes, applied: false };
    await this.deps.trusts.save(trust);
    for (const school of schools.filter((s) => s.trustId === trust.id)) {
      await this.deps.audit.recordSettingsChange(school.id, { at: this.deps.clock().toISOString(), actor, action: 'trustChanged', detail: { trust: trust.id, summary: changes.join('; ').slice(0, 1000) } });
    }
    this.deps.changed?.();
    return { ok: true, trust, changes, applied: true };
  }

  /** The stored profile as its file, to edit and apply again. */
  async exportFile(schoolId: string): Promise<string | undefined> {
    const profile = await this.deps.schools.get(schoolId);
    if (!profile) return undefined;
    return profileToYaml(profile, `${SCHEMA_COMMENT}\n School profile of ${profile.name}, exported ${this.deps.clock().toISOString().slice(0, 10)}.\n Edit, then: npm run school -- apply <this file>`);
  }
}

/** Who each member of staff is: their id as given, as stored, or found by email among the people Microsoft 365 has shown the bot. */
function resolveStaff(text: string, file: ProfileFile, stored: SchoolProfile | undefined, known: readonly StaffPerson[]): { ok: true; staff: StaffMember[] } | { ok: false; problems: FileProblem[] } {
  const byEmail = new Map<string, string>();
  for (const p of known) if (p.email) byEmail.set(p.email.toLowerCase(), p.aadObjectId);
  for (const s of stored?.staff ?? []) if (s.email) byEmail.set(s.email.toLowerCase(), s.aadObjectId);
  const problems: FileProblem[] = [];
  const staff: StaffMember[] = [];
  file.staff.forEach((member, i) => {
    const id = member.aadObjectId ?? (member.email ? byEmail.get(member.email.toLowerCase()) : undefined);
    if (!id) {
      problems.push(
        problemAt(
          text,
          ['staff', i, 'email'],
          `${member.email} is not known to the app yet: add the app to your staff team (its roster names everyone), or ask ${member.name} to say hello to the bot in Teams, then apply again (or give their Entra object id as aadObjectId)`,
        ),
      );
      return;
    }
    staff.push({ aadObjectId: id, name: member.name, ...(member.email ? { email: member.email } : {}), roles: member.roles });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, staff };
}

/**
 * The digest channel and the staff team are chosen in Teams, from the card the app posts in a
 * channel. A file that leaves them out keeps them: exporting, editing and applying must not undo a
 * choice made in Teams.
 */
function keepTeamsChoices(file: Omit<ProfileFile, 'staff'> & { staff: StaffMember[] }, stored: SchoolProfile | undefined): unknown {
  if (!stored) return file;
  return {
    ...file,
    digest: { ...file.digest, channelConversationId: file.digest.channelConversationId ?? stored.digest.channelConversationId },
    ...(file.staffSource || stored.staffSource ? { staffSource: { ...stored.staffSource, ...file.staffSource } } : {}),
  };
}

/** A trust's file: administrators may be named by email, as role holders are. */
export const trustFileSchema = trustSchema.extend({
  admins: z
    .array(filePersonFields.refine((m) => m.email !== undefined || m.aadObjectId !== undefined, { message: 'needs an email address (or an Entra object id)', path: ['email'] }))
    .min(1, 'a trust needs at least one administrator'),
});

function describeTrustChanges(before: Trust | undefined, after: Trust): string[] {
  if (!before) return [`New trust ${after.name} (${after.id}): ${after.admins.length} administrator${after.admins.length === 1 ? '' : 's'}, ${after.virtualSchools.length} shared Virtual School contact${after.virtualSchools.length === 1 ? '' : 's'}.`];
  const out: string[] = [];
  const names = (t: Trust) => t.admins.map((a) => a.name);
  for (const n of names(after)) if (!names(before).includes(n)) out.push(`Administrator ${n} added`);
  for (const n of names(before)) if (!names(after).includes(n)) out.push(`Administrator ${n} removed`);
  if (JSON.stringify(before.virtualSchools) !== JSON.stringify(after.virtualSchools)) out.push(`Shared Virtual School contacts changed (${after.virtualSchools.length} now)`);
  if (before.name !== after.name) out.push(`Name changed from ${before.name} to ${after.name}`);
  return out;
}

/** `npm run school -- trust-init`: a trust's file with its administrators to fill in. */
export function trustTemplate(o: { id: string; name: string; tenantId?: string }): string {
  return profileToYaml(
    { id: o.id, name: o.name, tenantId: o.tenantId ?? FILL_IN, admins: [{ name: FILL_IN, email: FILL_IN }], virtualSchools: [] },
    ` Trust ${o.name}: its administrators may set up and change any of its schools (name each by work email).\n Virtual Schools listed here are every one of its schools' contacts too.\n Save it with: npm run school -- trust-apply <this file>. A school joins with "trustId: ${o.id}" in its profile.`,
  );
}

export interface TemplateOptions {
  id: string;
  name: string;
  tenantId?: string;
  localAuthority?: string;
  policy?: PolicyProfileId;
}

/** `npm run school -- init`: a commented file with every setting, the ones to fill in left empty (and refused until they are). */
export function profileTemplate(o: TemplateOptions): string {
  const person = (role: string) => ({ name: FILL_IN, email: FILL_IN, roles: [role] });
  const template = {
    id: o.id,
    name: o.name,
    tenantId: o.tenantId ?? FILL_IN,
    localAuthority: o.localAuthority ?? FILL_IN,
    policy: { profile: o.policy ?? FILL_IN },
    staff: [person('DSL'), person('deputyDSL'), person('DT'), person('headteacher')],
    virtualSchools: [{ localAuthority: o.localAuthority ?? FILL_IN, name: FILL_IN, email: FILL_IN }],
    exclusionsContact: { name: FILL_IN, email: FILL_IN },
    senderMailbox: FILL_IN,
    calendar: { terms: [], closures: [] },
    schoolDay: { start: '08:30', end: '15:30' },
    approvalWindows: { attendance: { kind: 'sameDay' }, suspension: { kind: 'schoolHours', hours: 2 }, admission: { kind: 'sameDay' } },
    externalStepsNeedApproval: true,
    digest: { weekday: 1, time: '08:00' },
  };
  return profileToYaml(
    template,
    `${SCHEMA_COMMENT}\n School profile of ${o.name}: fill in every empty value ("").\n Check it with:  npm run school -- validate <this file>\n Then save it:   npm run school -- apply <this file>\n Policy profiles: ${POLICY_PROFILE_IDS.join(', ')} (policy/README.md compares them).`,
  );
}
