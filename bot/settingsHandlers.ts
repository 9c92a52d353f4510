import { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { cardReply } from '../cards/cardReply';
import { roleChangeCard, settingsDoneCard, settingsPayloads, SettingsVerb, teamSetupCard } from '../cards/settingsCards';
import { findLocalAuthority, localAuthorityLabel } from '../policy/localAuthorities';
import { normaliseName } from '../services/pupilDirectory';
import { RoleCommand } from '../policy/roleCommand';
import { Role, ROLE_LABEL, roleSchema } from '../policy/roles';
import { SchoolProfile } from '../policy/schoolProfile';
import { SchoolDirectory } from '../services/schoolDirectory';
import { Person, SchoolSettings, SettingsRefusedError, SINGLE_HOLDER_ROLES } from '../services/schoolSettings';
import { StaffRoster } from '../services/staffRoster';
import { StaffRepository } from '../storage/staffRepository';
import { Logger } from '../telemetry/logger';
import { tenantOf } from './activityFacts';
import { turnLogger } from './turnLogger';

export interface SettingsHandlerDeps {
  directory: SchoolDirectory;
  settings: SchoolSettings;
  roster: StaffRoster;
  staff: StaffRepository;
  logger: Logger;
  afterTurn: (work: () => Promise<unknown>) => void;
}

function invokeError(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}

function cardResponse(card: ReturnType<typeof teamSetupCard>): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { ...card } };
}

/** A channel's conversation id without the thread it was replied in: where a new post goes. */
export function channelConversationId(conversationId: string): string {
  return conversationId.split(';')[0]!;
}

function teamOf(context: TurnContext): { id?: string; name?: string } {
  const team: unknown = context.activity.channelData?.team;
  if (typeof team !== 'object' || team === null) return {};
  const { id, name } = team as { id?: unknown; name?: unknown };
  return { ...(typeof id === 'string' ? { id } : {}), ...(typeof name === 'string' ? { name } : {}) };
}

/**
 * Setting a school up from Teams: the card the app posts when it is added to a team, role changes
 * typed in a personal chat ("make Adele Vance the Designated Teacher"), and the Virtual School
 * contact a DSL is asked for. Every change goes through SchoolSettings (who may, ETag, audit).
 */
export class SettingsHandlers {
  constructor(private readonly deps: SettingsHandlerDeps) {}

  /** The app was added to a team: the set-up card, never a welcome with concern buttons. */
  async teamSetup(context: TurnContext): Promise<void> {
    const tenantId = tenantOf(context);
    const schools = (await this.deps.directory.all()).filter((s) => s.tenantId === tenantId);
    const team = teamOf(context);
    const channel = channelConversationId(context.activity.conversation.id);
    const digestHere = schools.find((s) => s.digest.channelConversationId === channel);
    const staffHere = schools.find((s) => team.id !== undefined && s.staffSource?.teamId === team.id);
    const done = { ...(digestHere ? { digest: { school: digestHere.name } } : {}), ...(staffHere ? { staffTeam: { school: staffHere.name } } : {}) };
    await context.sendActivity(cardReply(teamSetupCard({ ...(team.name ? { teamName: team.name } : {}), schools: schools.map((s) => ({ id: s.id, name: s.name })), ...(digestHere || staffHere ? { done } : {}) })));
    // A team already chosen as a staff team (the app removed and added again): read its roster now.
    for (const school of schools.filter((s) => team.id && s.staffSource?.teamId === team.id)) this.deps.afterTurn(() => this.deps.roster.sync(school));
  }

  async invoke(context: TurnContext, verb: SettingsVerb, raw: unknown): Promise<AdaptiveCardInvokeResponse> {
    const parsed = settingsPayloads[verb].safeParse(raw);
    if (!parsed.success) return invokeError(400, 'BadRequest', 'That button sent something this version of the app does not understand.');
    const tenantId = tenantOf(context);
    const aadObjectId = context.activity.from.aadObjectId;
    if (!tenantId || !aadObjectId) return invokeError(403, 'Forbidden', 'I could not tell who pressed that.');
    const data = parsed.data as Record<string, unknown>;
    if (verb === 'cancelRoleChange') return cardResponse(settingsDoneCard('No change', ['Nothing was changed.']));
    const school = (await this.deps.directory.all()).find((s) => s.id === data.school && s.tenantId === tenantId);
    if (!school) return invokeError(404, 'NotFound', 'That school is not set up with the app in this organisation.');
    const listed = school.staff.find((s) => s.aadObjectId === aadObjectId);
    const actor = { aadObjectId, name: listed?.name ?? context.activity.from.name ?? 'someone' };
    const log = turnLogger(this.deps.logger, context);
    try {
      switch (verb) {
        case 'setDigestChannel': {
          await this.deps.settings.setDigestChannel(school.id, actor, { conversationId: channelConversationId(context.activity.conversation.id), ...(teamOf(context).name ? { name: teamOf(context).name } : {}) });
          log.info({ event: 'digestChannelSet', school: school.id }, 'digest channel chosen in Teams');
          return cardResponse(await this.setupCardAfter(context, school, { digest: { school: school.name, by: actor.name } }));
        }
        case 'setStaffTeam': {
          const team = teamOf(context);
          if (!team.id) return invokeError(400, 'BadRequest', 'This is not a team channel.');
          const updated = await this.deps.settings.setStaffTeam(school.id, actor, { teamId: team.id, ...(team.name ? { name: team.name } : {}) });
          this.deps.afterTurn(() => this.deps.roster.sync(updated));
          log.info({ event: 'staffTeamSet', school: school.id }, 'staff team chosen in Teams');
          return cardResponse(await this.setupCardAfter(context, school, { staffTeam: { school: school.name, by: actor.name } }));
        }
        case 'confirmRoleChange': {
          const role = roleSchema.safeParse(data.role);
          if (!role.success) return invokeError(400, 'BadRequest', 'That is not a role this app knows.');
          const person = (await this.people(school)).find((p) => p.aadObjectId === data.person);
          if (!person) return invokeError(404, 'NotFound', 'That person is no longer on the staff list.');
          const outcome = await this.deps.settings.changeRole(school.id, actor, { role: role.data, person, give: data.give === true });
          return cardResponse(settingsDoneCard(outcome.changed ? 'Role changed' : 'No change', [outcome.summary]));
        }
        case 'saveVirtualSchool': {
          const la = String(data.localAuthority);
          await this.deps.settings.saveVirtualSchool(school.id, actor, {
            localAuthority: la,
            name: String(data.vsName),
            email: String(data.vsEmail),
            ...(typeof data.vsPhone === 'string' && data.vsPhone.trim() ? { phone: data.vsPhone.trim() } : {}),
          });
          return cardResponse(settingsDoneCard('Virtual School contact saved', [`${String(data.vsName)} (${String(data.vsEmail)}) is now ${school.name}'s contact for children placed by ${localAuthorityLabel(la)}. Concerns raised from now on tell them like any other Virtual School.`]));
        }
      }
    } catch (err) {
      if (err instanceof SettingsRefusedError) {
        log.warn({ event: 'settingsRefused', verb }, 'a settings button pressed by someone who may not change them');
        return invokeError(403, 'Forbidden', err.message);
      }
      throw err;
    }
    return invokeError(400, 'BadRequest', 'That button is not recognised.');
  }

  /** The set-up card as it stands after a press: everything chosen in this team, and who chose what just now. */
  private async setupCardAfter(context: TurnContext, school: SchoolProfile, done: NonNullable<Parameters<typeof teamSetupCard>[0]['done']>) {
    const schools = (await this.deps.directory.all()).filter((s) => s.tenantId === school.tenantId);
    const team = teamOf(context);
    const channel = channelConversationId(context.activity.conversation.id);
    const digestHere = schools.find((s) => s.digest.channelConversationId === channel);
    const staffHere = schools.find((s) => team.id !== undefined && s.staffSource?.teamId === team.id);
    const current = { ...(digestHere ? { digest: { school: digestHere.name } } : {}), ...(staffHere ? { staffTeam: { school: staffHere.name } } : {}) };
    return teamSetupCard({ ...(team.name ? { teamName: team.name } : {}), schools: schools.map((s) => ({ id: s.id, name: s.name })), done: { ...current, ...done } });
  }

  /** Everyone who could hold a role: the people named in the profile and the staff team's members. */
  private async people(school: SchoolProfile): Promise<Person[]> {
    const out = new Map<string, Person>();
    for (const m of await this.deps.staff.members(school.id)) out.set(m.aadObjectId, { aadObjectId: m.aadObjectId, name: m.name, ...(m.email ? { email: m.email } : {}) });
    for (const s of school.staff) out.set(s.aadObjectId, { aadObjectId: s.aadObjectId, name: s.name, ...(s.email ? { email: s.email } : {}) });
    return [...out.values()];
  }

  /** "make Adele Vance the Designated Teacher", typed in a personal chat by a DSL or headteacher. */
  async roleCommand(context: TurnContext, command: RoleCommand): Promise<void> {
    const memberships = await this.deps.directory.memberships(tenantOf(context), context.activity.from.aadObjectId);
    const leading = [];
    for (const m of memberships) if (await this.deps.settings.mayChange(m.school, m.member.aadObjectId)) leading.push(m);
    if (command.kind === 'list') {
      const school = (leading[0] ?? memberships[0])?.school;
      if (!school) {
        await context.sendActivity('I cannot find you on the staff list of a school that uses this app.');
        return;
      }
      await context.sendActivity(rolesSummary(school));
      return;
    }
    if (leading.length === 0) {
      await context.sendActivity('Only the DSL or the headteacher can change who holds a role. Ask them, or your trust\'s administrator.');
      return;
    }
    if (leading.length > 1) {
      await context.sendActivity('You lead more than one school: change roles in the dashboard tab\'s Settings, where you choose the school.');
      return;
    }
    const school = leading[0]!.school;
    const wanted = normaliseName(command.personName);
    const people = await this.people(school);
    const exact = people.filter((p) => normaliseName(p.name) === wanted);
    const loose = exact.length > 0 ? exact : people.filter((p) => wanted.split(' ').every((w) => normaliseName(p.name).split(' ').includes(w)));
    if (loose.length === 0) {
      await context.sendActivity(`I cannot find "${command.personName}" on ${school.name}'s staff (its staff team, or the people named in its profile). Check the spelling, or add them to the staff team first.`);
      return;
    }
    if (loose.length > 1) {
      await context.sendActivity(`More than one person matches "${command.personName}": ${loose.map((p) => p.name).join(', ')}. Type their full name.`);
      return;
    }
    const person = loose[0]!;
    const replacing = command.kind === 'give' && SINGLE_HOLDER_ROLES.has(command.role) ? school.staff.filter((s) => s.roles.includes(command.role) && s.aadObjectId !== person.aadObjectId).map((s) => s.name) : [];
    await context.sendActivity(
      cardReply(roleChangeCard({ schoolId: school.id, schoolName: school.name, role: command.role, roleLabel: ROLE_LABEL[command.role], person, give: command.kind === 'give', replacing })),
    );
  }
}

const LISTED_ROLES: readonly Role[] = ['DSL', 'deputyDSL', 'DT', 'headteacher', 'SENCO', 'attendanceLead', 'SLT', 'governor'];

function rolesSummary(school: SchoolProfile): string {
  const lines = LISTED_ROLES.map((r) => {
    const names = school.staff.filter((s) => s.roles.includes(r)).map((s) => s.name);
    return `${ROLE_LABEL[r]}: ${names.length > 0 ? names.join(', ') : 'nobody'}`;
  });
  return `Roles at ${school.name}:\n\n${lines.join('\n\n')}\n\nThe DSL or headteacher can change them, for example: "make Adele Vance the Designated Teacher".`;
}

/** For a placing authority typed as a code or name, its label; used by other handlers too. */
export function placingAuthorityLabel(la: string): string {
  return findLocalAuthority(la) ? localAuthorityLabel(la) : la;
}
