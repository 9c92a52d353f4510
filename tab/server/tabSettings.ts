import { z } from 'zod';
import { LOCAL_AUTHORITIES, authorityProblem, findLocalAuthority, localAuthorityLabel, sameAuthority } from '../../policy/localAuthorities';
import { FileProblem, formatProblem, parseProfileFile, problemAt } from '../../policy/profileFile';
import { POLICY_PROFILE_IDS } from '../../policy/profiles';
import { ROLE_LABEL, roleSchema } from '../../policy/roles';
import { ApprovalWindow, CalendarData, ProfileError, schoolIdSchema, SchoolProfile } from '../../policy/schoolProfile';
import { lastTermDate, termDatesFromFile } from '../../policy/termDates';
import { ASSIGNABLE_ROLES, Person, SchoolSettings, SettingsActor, SettingsRefusedError, SINGLE_HOLDER_ROLES } from '../../services/schoolSettings';
import { profileTemplate, SchoolSetup } from '../../services/schoolSetup';
import { ConversationRefRepository } from '../../storage/conversationRefRepository';
import { SchoolRepository } from '../../storage/schoolRepository';
import { StaffRepository } from '../../storage/staffRepository';
import { Trust, TrustRepository } from '../../storage/trustRepository';
import { Logger } from '../../telemetry/logger';
import { digestChannelStatus } from './digestStatus';
import { SettingsRefusals } from '../../services/refusalLog';
import type { TabResponse } from './tabApi';
import { Caller, isResponse, SchoolChoice, TabCallers } from './tabCaller';
import { TabIdentity } from './tabIdentity';

export interface TabSettingsDeps {
  callers: TabCallers;
  settings: SchoolSettings;
  setup: SchoolSetup;
  /** The stored profiles (the directory's copies carry the trust's shared Virtual Schools too). */
  schools: SchoolRepository;
  staffRepo: StaffRepository;
  trusts?: TrustRepository;
  conversationRefs?: ConversationRefRepository;
  refusals: SettingsRefusals;
  logger: Logger;
}

/** The longest term-dates file or profile the tab takes (a year's term dates is a few kilobytes). */
export const MAX_SETTINGS_TEXT = 256 * 1024;

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalSchool = schoolIdSchema.optional();
const assignableRole = roleSchema.refine((r) => ASSIGNABLE_ROLES.includes(r), { message: 'not a role given in the tab' });

export const roleChangeBody = z.object({
  school: optionalSchool,
  role: assignableRole,
  person: z.object({ aadObjectId: text(64) }),
  give: z.boolean(),
});

export const virtualSchoolBody = z.object({
  school: optionalSchool,
  localAuthority: text(60),
  name: text(120),
  email: z.email().max(254),
  phone: z.string().trim().max(40).optional(),
});

export const termDatesBody = z.object({
  school: optionalSchool,
  fileName: text(255),
  text: z.string().min(1).max(MAX_SETTINGS_TEXT),
  dryRun: z.boolean().default(true),
});

export const profileBody = z.object({
  school: optionalSchool,
  yaml: z.string().min(1).max(MAX_SETTINGS_TEXT),
  dryRun: z.boolean().default(true),
});

const templateQuery = z.object({
  trust: schoolIdSchema.optional(),
  id: schoolIdSchema,
  name: text(120),
  localAuthority: text(60).optional(),
  policy: z.enum(POLICY_PROFILE_IDS).optional(),
});

const BAD_REQUEST: Record<string, string> = {
  role: 'Expected {"school": "<school id>", "role": "<role>", "person": {"aadObjectId": "..."}, "give": true|false}.',
  virtualSchool: 'Expected {"school": "<school id>", "localAuthority": "<code or name>", "name": "...", "email": "...", "phone": "..." (optional)}: check the email address is complete.',
  termDates: 'Expected {"school": "<school id>", "fileName": "<name.csv or name.ics>", "text": "<the file’s text>", "dryRun": true|false}.',
  profile: 'Expected {"school": "<school id>" (leave it out for a new school), "yaml": "<the profile>", "dryRun": true|false}.',
  template: 'Give the new school’s id (lower-case letters, digits and hyphens, 2 to 40 characters) and its name.',
};

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

function windowInWords(w: ApprovalWindow): string {
  return w.kind === 'sameDay' ? 'by the end of the same school day' : `within ${w.hours} school hour${w.hours === 1 ? '' : 's'}`;
}

function termSummary(calendar: CalendarData) {
  return {
    terms: calendar.terms.map((t) => ({ name: t.name, start: t.start, end: t.end, breaks: t.breaks.map((b) => ({ name: b.name ?? 'Break', start: b.start, end: b.end })) })),
    lastDate: calendar.terms.length > 0 ? lastTermDate(calendar) : null,
    closures: calendar.closures.map((c) => ({ name: c.name ?? 'Closure', start: c.start, end: c.end })),
  };
}

const withText = (p: FileProblem) => ({ ...p, text: formatProblem(p) });

/**
 * The Settings view of the dashboard: the same settings the DSL or headteacher changes in Teams
 * (roles, Virtual School contacts), and those set from a file (term dates, the whole profile), for
 * the school's DSL and headteacher and its trust's administrators only. A trust's administrator can
 * also set up a new school of their trust. Every change goes through the services that audit it
 * and tell the people it concerns; every refusal is recorded in the school's settings history.
 * Nothing here reads or returns a child's record.
 */
export class TabSettingsApi {
  constructor(private readonly deps: TabSettingsDeps) {}

  /** Everything the Settings view shows for one school, and the trusts the caller administers. */
  async view(identity: TabIdentity, schoolId: string | undefined): Promise<TabResponse> {
    const caller = await this.deps.callers.resolve(identity, schoolId);
    if (isResponse(caller)) return caller;
    // A trust's administrator sees their trust's part (New school) even where the school shown is not one they may change.
    let choice: SchoolChoice | undefined;
    if (caller.chosen && (await this.deps.settings.mayChange(caller.chosen.school, identity.aadObjectId))) choice = caller.chosen;
    else if (caller.trusts.length === 0) return this.refuse(caller, caller.chosen, 'view');
    const common = {
      trusts: caller.trusts.map((t) => ({ id: t.id, name: t.name, schools: caller.schools.filter((s) => s.adminOf?.id === t.id).map((s) => ({ id: s.school.id, name: s.school.name })) })),
      localAuthorities: LOCAL_AUTHORITIES.map((la) => ({ code: la.code, name: la.name, region: la.region })),
      policyProfiles: POLICY_PROFILE_IDS,
    };
    if (!choice) return { status: 200, body: { school: null, ...common } };
    const school = (await this.deps.schools.get(choice.school.id)) ?? choice.school;
    const trust = await this.trustOf(school);
    const [roster, channel, yaml] = await Promise.all([this.deps.staffRepo.members(school.id), digestChannelStatus(school, this.deps.conversationRefs), this.deps.setup.exportFile(school.id)]);
    const people = await this.people(school);
    const own = new Set(school.virtualSchools.map((v) => v.localAuthority.toUpperCase()));
    const shared = (trust?.virtualSchools ?? []).filter((v) => !school.virtualSchools.some((o) => sameAuthority(o.localAuthority, v.localAuthority)) && !own.has(v.localAuthority.toUpperCase()));
    const la = findLocalAuthority(school.localAuthority);
    return {
      status: 200,
      body: {
        school: {
          id: school.id,
          name: school.name,
          localAuthority: { value: school.localAuthority, code: la?.code ?? null, label: localAuthorityLabel(school.localAuthority) },
          trust: trust ? { id: trust.id, name: trust.name } : null,
          roles: ASSIGNABLE_ROLES.map((role) => ({
            role,
            label: ROLE_LABEL[role],
            singleHolder: SINGLE_HOLDER_ROLES.has(role),
            holders: school.staff.filter((s) => s.roles.includes(role)).map((s) => ({ aadObjectId: s.aadObjectId, name: s.name })),
          })),
          people,
          virtualSchools: [
            ...school.virtualSchools.map((v) => ({ ...v, label: localAuthorityLabel(v.localAuthority), code: findLocalAuthority(v.localAuthority)?.code ?? null, fromTrust: false })),
            ...shared.map((v) => ({ ...v, label: localAuthorityLabel(v.localAuthority), code: findLocalAuthority(v.localAuthority)?.code ?? null, fromTrust: true })),
          ],
          exclusionsContact: school.exclusionsContact,
          digest: {
            weekday: school.digest.weekday,
            weekdayName: WEEKDAYS[school.digest.weekday] ?? '',
            time: school.digest.time,
            channel: channel.posting ? { chosen: true, posting: true } : { chosen: channel.chosen, posting: false, reason: channel.reason, explanation: channel.explanation },
          },
          staffTeam: {
            chosen: school.staffSource?.teamId !== undefined,
            name: school.staffSource?.teamName ?? null,
            group: school.staffSource?.groupId !== undefined,
            members: roster.length,
          },
          termDates: termSummary(school.calendar),
          schoolDay: school.schoolDay,
          approvalWindows: {
            attendance: windowInWords(school.approvalWindows.attendance),
            suspension: windowInWords(school.approvalWindows.suspension),
            admission: windowInWords(school.approvalWindows.admission),
          },
          // The export's own heading says how to apply it from the command line; here the buttons do it.
          profileYaml: (yaml ?? '').replace(/^# Edit, then: .*$/m, '# Edit it, press "Check" to see what would change, then "Save the profile".'),
        },
        ...common,
      },
    };
  }

  /** Gives a role to someone on the staff, or takes it from them (services/schoolSettings.ts does it, audits it and tells them). */
  async changeRole(identity: TabIdentity, raw: unknown, querySchool: string | undefined): Promise<TabResponse> {
    const body = roleChangeBody.safeParse(raw);
    if (!body.success) return { status: 400, body: { error: BAD_REQUEST.role } };
    const lead = await this.leading(identity, body.data.school ?? querySchool, 'role');
    if (isResponse(lead)) return lead;
    const school = await this.stored(lead.choice);
    const person = (await this.people(school)).find((p) => p.aadObjectId === body.data.person.aadObjectId);
    if (!person) {
      return { status: 404, body: { error: `That person is not on ${school.name}’s staff team or named in its profile. Add them to the staff team in Teams first, then try again.` } };
    }
    try {
      const outcome = await this.deps.settings.changeRole(school.id, lead.actor, { role: body.data.role, person, give: body.data.give });
      return { status: 200, body: { summary: outcome.summary, changed: outcome.changed, replaced: outcome.replaced.map((r) => r.name) } };
    } catch (err) {
      if (err instanceof SettingsRefusedError) return { status: 409, body: { error: err.message } };
      throw err;
    }
  }

  /** Adds or changes the Virtual School contact for one local authority. */
  async saveVirtualSchool(identity: TabIdentity, raw: unknown, querySchool: string | undefined): Promise<TabResponse> {
    const body = virtualSchoolBody.safeParse(raw);
    if (!body.success) return { status: 400, body: { error: BAD_REQUEST.virtualSchool } };
    const lead = await this.leading(identity, body.data.school ?? querySchool, 'virtualSchool');
    if (isResponse(lead)) return lead;
    const la = findLocalAuthority(body.data.localAuthority);
    if (!la) return { status: 400, body: { error: `${authorityProblem(body.data.localAuthority) ?? 'That is not a local authority in England'}.` } };
    const school = await this.stored(lead.choice);
    // The authority as the profile already names it ("HERTS" and "919" are one), so the contact is replaced, not doubled.
    const key = school.virtualSchools.find((v) => sameAuthority(v.localAuthority, la.code))?.localAuthority ?? la.code;
    const { name, email, phone } = body.data;
    try {
      await this.deps.settings.saveVirtualSchool(school.id, lead.actor, { localAuthority: key, name, email, ...(phone ? { phone } : {}) });
    } catch (err) {
      if (err instanceof SettingsRefusedError) return { status: 403, body: { error: err.message } };
      if (err instanceof ProfileError) return { status: 400, body: { error: `That contact could not be saved: ${err.problems.join('; ')}.` } };
      throw err;
    }
    return {
      status: 200,
      body: { summary: `${name} (${email}) is now ${school.name}’s Virtual School contact for children placed by ${localAuthorityLabel(key)}. Concerns raised from now on tell them like any other Virtual School.` },
    };
  }

  /** Term dates from the local authority's file (CSV or iCalendar): a dry run says what would change; then they are saved. */
  async termDates(identity: TabIdentity, raw: unknown, querySchool: string | undefined): Promise<TabResponse> {
    const body = termDatesBody.safeParse(raw);
    if (!body.success) return { status: 400, body: { error: BAD_REQUEST.termDates } };
    const lead = await this.leading(identity, body.data.school ?? querySchool, 'termDates');
    if (isResponse(lead)) return lead;
    const read = termDatesFromFile(body.data.fileName, body.data.text);
    if (!read.calendar || read.errors.length > 0) return { status: 200, body: { ok: false, applied: false, problems: read.errors, warnings: read.warnings } };
    const result = await this.deps.setup.importTermDates(lead.choice.school.id, read.calendar, lead.actor, { dryRun: body.data.dryRun });
    if (!result.ok) return { status: 200, body: { ok: false, applied: false, problems: result.problems, warnings: read.warnings } };
    return { status: 200, body: { ok: true, applied: result.applied, changes: result.changes, warnings: read.warnings, termDates: termSummary(read.calendar) } };
  }

  /**
   * The school's profile as a whole (the advanced editor), or a new school's (a trust's
   * administrator). Who may change what is decided from the file's id, tenant and trust before
   * anything is applied: an existing school only by those who may change it, its id, tenant and
   * trust kept; a new school only in a trust the caller administers, in that trust's tenant.
   */
  async profile(identity: TabIdentity, raw: unknown, querySchool: string | undefined): Promise<TabResponse> {
    const body = profileBody.safeParse(raw);
    if (!body.success) return { status: 400, body: { error: BAD_REQUEST.profile } };
    const named = body.data.school ?? querySchool;
    let caller: Caller;
    if (named !== undefined) {
      const lead = await this.leading(identity, named, 'profile');
      if (isResponse(lead)) return lead;
      caller = lead.caller;
    } else {
      const resolved = await this.deps.callers.resolve(identity);
      if (isResponse(resolved)) return resolved;
      caller = resolved;
      if (caller.trusts.length === 0 && !(await this.leadsAny(caller))) return this.refuse(caller, caller.chosen, 'profile');
    }
    const yaml = body.data.yaml;
    const parsed = parseProfileFile(yaml);
    if (!parsed.ok) return { status: 200, body: { ok: false, applied: false, problems: parsed.problems.map(withText) } };
    const file = parsed.profile;
    if (named !== undefined && file.id !== named) {
      return problems([problemAt(yaml, ['id'], `must stay ${named}: a school’s id cannot be changed, as its records are kept under it. To set up another school, ask your trust’s administrator.`)]);
    }
    const stored = await this.deps.schools.get(file.id);
    const found: FileProblem[] = [];
    if (stored) {
      const choice = caller.schools.find((s) => s.school.id === stored.id);
      if (!choice || !(await this.deps.settings.mayChange(stored, identity.aadObjectId))) return this.refuse(caller, caller.chosen, 'profile');
      if (file.tenantId !== stored.tenantId) found.push(problemAt(yaml, ['tenantId'], `must stay ${stored.tenantId}: a school cannot move to another Microsoft 365 organisation`));
      if ((file.trustId ?? '') !== (stored.trustId ?? '')) {
        const administers = (id: string | undefined) => id === undefined || caller.trusts.some((t) => t.id === id);
        if (!administers(file.trustId) || !administers(stored.trustId)) {
          found.push(problemAt(yaml, ['trustId'], stored.trustId ? `must stay ${stored.trustId}: only the trust’s administrator can move a school into or out of a trust` : 'cannot be set here: only a trust’s administrator can add a school to their trust'));
        }
      }
      if (JSON.stringify(file.registerSource ?? null) !== JSON.stringify(stored.registerSource ?? null)) found.push(registerSourceProblem(yaml));
    } else {
      if (caller.trusts.length === 0) return this.refuse(caller, caller.chosen, 'newSchool', 'Only a trust’s administrator can set up a new school. To change your own school’s settings, choose it at the top of the dashboard.');
      const trust = caller.trusts.find((t) => t.id === file.trustId);
      if (!trust) {
        found.push(problemAt(yaml, ['trustId'], `must be your trust’s id (${caller.trusts.map((t) => `${t.id} for ${t.name}`).join(', or ')}): you can set up new schools in your own trust only`));
      } else if (file.tenantId !== trust.tenantId) {
        found.push(problemAt(yaml, ['tenantId'], `must be ${trust.tenantId}, your trust’s Microsoft 365 organisation`));
      }
      if (file.registerSource) found.push(registerSourceProblem(yaml));
    }
    if (found.length > 0) return problems(found);
    const result = await this.deps.setup.apply(yaml, { aadObjectId: identity.aadObjectId, name: caller.name }, { dryRun: body.data.dryRun });
    if (!result.ok) return problems(result.problems);
    if (result.applied) this.deps.logger.info({ event: stored ? 'tabProfileApplied' : 'tabSchoolCreated', school: result.profile.id }, 'a school profile was saved from the tab');
    return {
      status: 200,
      body: { ok: true, applied: result.applied === true, newSchool: !stored, changes: result.changes, school: { id: result.profile.id, name: result.profile.name } },
    };
  }

  /** A new school's profile to fill in, for a trust's administrator: the template with the trust's tenant and id. */
  async template(identity: TabIdentity, query: string): Promise<TabResponse> {
    const params = new URLSearchParams(query);
    const fields: Record<string, string> = {};
    for (const key of ['trust', 'id', 'name', 'localAuthority', 'policy']) {
      const value = params.get(key);
      if (value) fields[key] = value;
    }
    const asked = templateQuery.safeParse(fields);
    const resolved = await this.deps.callers.resolve(identity);
    if (isResponse(resolved)) return resolved;
    const trust = asked.success && asked.data.trust ? resolved.trusts.find((t) => t.id === asked.data.trust) : resolved.trusts.length === 1 ? resolved.trusts[0] : undefined;
    if (!trust) {
      if (resolved.trusts.length > 0) return { status: 400, body: { error: 'Choose which of your trusts the new school belongs to.' } };
      return this.refuse(resolved, resolved.chosen, 'newSchool', 'Only a trust’s administrator can set up a new school.');
    }
    if (!asked.success) return { status: 400, body: { error: BAD_REQUEST.template } };
    const la = asked.data.localAuthority ? findLocalAuthority(asked.data.localAuthority) : undefined;
    if (asked.data.localAuthority && !la) return { status: 400, body: { error: `${authorityProblem(asked.data.localAuthority) ?? 'That is not a local authority in England'}.` } };
    if (await this.deps.schools.get(asked.data.id)) return { status: 409, body: { error: `There is already a school with the id ${asked.data.id}: choose another.` } };
    const base = profileTemplate({ id: asked.data.id, name: asked.data.name, tenantId: trust.tenantId, ...(la ? { localAuthority: la.code } : {}), ...(asked.data.policy ? { policy: asked.data.policy } : {}) });
    const yaml = withTrustId(base, trust)
      .replace(/^# Check it with: .*$/m, '# Press "Check" to see any problems, each with its line, then "Save".')
      .replace(/^# Then save it: .*\n/m, '');
    return { status: 200, body: { yaml } };
  }

  // ---- who may ------------------------------------------------------------------------------

  /**
   * The caller, the school a request is about, and the name they are recorded under, if they may
   * change that school's settings; otherwise the refusal (recorded in that school's history).
   */
  private async leading(identity: TabIdentity, schoolId: string | undefined, what: string): Promise<TabResponse | { caller: Caller; choice: SchoolChoice; actor: SettingsActor }> {
    const caller = await this.deps.callers.resolve(identity, schoolId);
    if (isResponse(caller)) return caller;
    const actor = { aadObjectId: identity.aadObjectId, name: caller.name };
    const choice = caller.chosen;
    if (!choice) return { status: 404, body: { error: 'Your trust has no school set up yet: set one up in Settings, under New school.' } };
    if (!(await this.deps.settings.mayChange(choice.school, identity.aadObjectId))) return this.refuse(caller, choice, what);
    return { caller, choice, actor };
  }

  private async leadsAny(caller: Caller): Promise<boolean> {
    for (const s of caller.schools) if (await this.deps.settings.mayChange(s.school, caller.identity.aadObjectId)) return true;
    return false;
  }

  private async refuse(caller: Caller, choice: SchoolChoice | undefined, what: string, message?: string): Promise<TabResponse> {
    if (choice) {
      const recorded = await this.deps.refusals.refused(choice.school.id, { aadObjectId: caller.identity.aadObjectId, name: caller.name }, what);
      if (recorded === 'throttled') return { status: 429, body: { error: 'Too many requests: please wait a minute.' } };
      if (recorded === 'recorded') this.deps.logger.warn({ event: 'tabSettingsRefused', school: choice.school.id, what }, 'settings refused: not this person’s to change');
    }
    const school = choice?.school.name ?? 'a school';
    return {
      status: 403,
      body: { error: message ?? `Only the DSL or the headteacher can see and change ${school}’s settings (or your trust’s administrator). If something here needs to change, please ask them.` },
    };
  }

  // ---- reading ------------------------------------------------------------------------------

  private async stored(choice: SchoolChoice): Promise<SchoolProfile> {
    return (await this.deps.schools.get(choice.school.id)) ?? choice.school;
  }

  private async trustOf(school: SchoolProfile): Promise<Trust | undefined> {
    if (!school.trustId || !this.deps.trusts) return undefined;
    const trust = await this.deps.trusts.get(school.trustId);
    return trust && trust.tenantId === school.tenantId ? trust : undefined;
  }

  /** Everyone a role can be given to: the staff team's members and the people named in the profile, by name. */
  private async people(school: SchoolProfile): Promise<Person[]> {
    const out = new Map<string, Person>();
    for (const m of await this.deps.staffRepo.members(school.id)) out.set(m.aadObjectId, { aadObjectId: m.aadObjectId, name: m.name, ...(m.email ? { email: m.email } : {}) });
    for (const s of school.staff) out.set(s.aadObjectId, { aadObjectId: s.aadObjectId, name: s.name, ...(s.email ? { email: s.email } : {}) });
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  }
}

function problems(found: FileProblem[]): TabResponse {
  return { status: 200, body: { ok: false, applied: false, problems: found.map(withText) } };
}

function registerSourceProblem(yaml: string): FileProblem {
  return problemAt(yaml, ['registerSource'], 'cannot be changed in the dashboard: where the register is picked up from is set by your IT team (npm run school -- apply)');
}

/** The template, with the trust's id beside the tenant (a quoted string, whatever the id looks like). */
function withTrustId(template: string, trust: Trust): string {
  return template.replace(/^tenantId: .*$/m, (line) => `${line}\n# The trust this school belongs to.\ntrustId: ${JSON.stringify(trust.id)}`);
}
