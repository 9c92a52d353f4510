import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  InvokeResponse,
  SearchInvokeResponse,
  SearchInvokeValue,
  StatePropertyAccessor,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import { DialogState, DialogTurnStatus } from '../dialogs/dialogsSdk';
import { cardReply } from '../cards/cardReply';
import { helpCard } from '../cards/helpCard';
import { receiptCard } from '../cards/planCards';
import { planByPerson } from '../policy/stepOwners';
import { PUPIL_DATASET } from '../cards/questions/pupilCards';
import { DialogKind, formPayloadSchema, menuPayloadSchema } from '../cards/verbs';
import { APPROVAL_VERBS, ApprovalVerb } from '../cards/approvalCard';
import { welcomeCard } from '../cards/welcomeCard';
import { schoolChoiceCard, SETTINGS_VERBS, SettingsVerb } from '../cards/settingsCards';
import { parseRoleCommand } from '../policy/roleCommand';
import { StaffRoster } from '../services/staffRoster';
import { SettingsHandlers } from './settingsHandlers';
import { FORM_VERSION, FormContext, isStaleDialogState } from '../dialogs/form/formContext';
import { recogniseIntent } from '../dialogs/intents';
import { putAwayNow } from '../dialogs/form/cardInPlace';
import { handedBackText } from '../dialogs/form/questionPrompt';
import { DialogContexts } from '../dialogs/dialogContexts';
import { createDialogSet, DIALOG_SPECS } from '../dialogs/registry';
import { FormServices } from '../services/formServices';
import { londonDate } from '../policy/dates';
import { planViewFor } from '../policy/views';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { StateConflictError } from '../storage/tableStateStorage';
import { tenantOf } from './activityFacts';
import { ACTIONS } from './actions';
import { ActionTracker } from '../services/actionTracker';
import { ApprovalService } from '../services/approvalService';
import { NewStarterMatcher } from '../services/newStarterMatcher';
import { captureReference, referenceOf } from './conversationReferences';
import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';
import { OptimisticConversationState } from './optimisticState';
import { Membership, SchoolDirectory } from '../services/schoolDirectory';
import { turnLogger } from './turnLogger';

export interface BotDependencies {
  conversationState: OptimisticConversationState;
  conversationRefs: ConversationRefRepository;
  directory: SchoolDirectory;
  services: FormServices;
  cases: CaseRepository;
  approvals: ApprovalService;
  tracker: ActionTracker;
  /** Matching a new starter to the register from a lead's card. */
  newStarters?: NewStarterMatcher;
  /** Runs work after the turn has been answered (errors are logged, not thrown). */
  afterTurn: (work: () => Promise<unknown>) => void;
  releaseWaitingFor: (tenantId: string, aadObjectId: string) => Promise<unknown>;
  logger: Logger;
  demo: boolean;
  /** Tenants served; empty means the tenants of the schools in the store. */
  allowedTenantIds: readonly string[];
  /** Set-up from Teams: the card in a team, role commands, settings buttons. */
  settings?: SettingsHandlers;
  /** The staff team's roster, kept as Teams says people join and leave. */
  roster?: StaffRoster;
}

const STAFF_DIALOGS: readonly DialogKind[] = ['attendance', 'suspension', 'admission'];
/** Recording a PEP meeting is for the Designated Teacher and the leads, not all staff. */
const PEP_ROLES = new Set(['DT', 'DSL', 'deputyDSL', 'headteacher']);

function dialogsFor(membership: Membership | undefined): DialogKind[] {
  if (!membership) return [...STAFF_DIALOGS];
  return membership.roles.some((r) => PEP_ROLES.has(r)) ? [...STAFF_DIALOGS, 'pep'] : [...STAFF_DIALOGS];
}
const NOT_STAFF =
  'I cannot find you on the staff list of a school that uses this app, so I cannot take a concern from you here. ' +
  'If a child is at risk, speak to your Designated Safeguarding Lead (DSL) now. To be added, ask your DSL or IT team.';

const NOT_SERVED = "This app is not set up for your organisation. Please speak to your school's IT team.";

/** In a channel or group chat nobody's concern is discussed: it is said where concerns go instead. */
const NOT_HERE =
  'I do not take concerns about children in a channel or a group chat, where others read them. Open a personal chat with me (find the app under Apps, or select my name) and say "hello".';

function invokeError(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}

const DRAFT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function teamIdOf(context: TurnContext): string | undefined {
  const id: unknown = context.activity.channelData?.team?.id;
  return typeof id === 'string' ? id : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Routes Teams activities and nothing more: the guided dialogs, the card payloads and the
 * repositories do the work. State is saved once at the end of every turn, conditionally on its
 * eTag, so two instances cannot silently overwrite each other's answers.
 */
export class SocialWorkerBot extends TeamsActivityHandler {
  private readonly welcomed: StatePropertyAccessor<boolean>;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogContexts;

  constructor(private readonly deps: BotDependencies) {
    super();
    this.welcomed = deps.conversationState.createProperty<boolean>('welcomed');
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogContexts(createDialogSet(this.dialogState, deps.services));

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const added = context.activity.membersAdded ?? [];
      const botAdded = added.some((m) => m.id === context.activity.recipient.id);
      const inTeam = context.activity.conversation.conversationType === 'channel';
      if (botAdded) {
        await this.capture(context, { reread: true });
        // In a team: the set-up card for a lead, never the welcome with concern buttons.
        if (inTeam) await deps.settings?.teamSetup(context);
        else if (context.activity.conversation.conversationType !== 'groupChat') {
          await this.sendWelcome(context);
          this.rememberPerson(context);
        } else await context.sendActivity(NOT_HERE);
      } else if (inTeam) {
        // People joining a school's staff team become its staff (and leave it when they leave the team).
        const tenantId = tenantOf(context);
        const teamId = teamIdOf(context);
        const ref = referenceOf(context);
        const people = added.filter((m) => m.id !== context.activity.recipient.id).map((m) => ({ id: m.id, ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}) }));
        if (tenantId && teamId && ref && deps.roster) await deps.roster.joined(tenantId, teamId, ref, people);
      }
      await next();
    });

    this.onMembersRemoved(async (context, next) => {
      const tenantId = tenantOf(context);
      const teamId = teamIdOf(context);
      const gone = (context.activity.membersRemoved ?? []).filter((m) => m.id !== context.activity.recipient.id && m.aadObjectId).map((m) => m.aadObjectId!);
      if (tenantId && teamId && gone.length > 0 && deps.roster) {
        const removed = await deps.roster.left(tenantId, teamId, gone);
        if (removed > 0) turnLogger(deps.logger, context).info({ event: 'staffLeftTeam', removed }, 'people who left the staff team are no longer staff');
      }
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.capture(context, { reread: true });
      await next();
    });

    this.onInstallationUpdateRemove(async (context, next) => {
      const tenantId = tenantOf(context);
      if (tenantId) {
        const removed = await deps.conversationRefs.removeConversation(tenantId, context.activity.conversation.id);
        turnLogger(deps.logger, context).info({ event: 'uninstalled', removed }, 'conversation references removed');
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (!(await this.tenantAllowed(context))) {
      turnLogger(this.deps.logger, context).warn({ event: 'tenantRefused' }, 'activity from a tenant this deployment does not serve');
      if (context.activity.type === 'message') {
        await context.sendActivity(NOT_SERVED);
      } else if (context.activity.type === ActivityTypes.Invoke) {
        // Without an invoke response botbuilder answers 501, which reads as a fault, not a refusal.
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403, body: invokeError(403, 'Forbidden', NOT_SERVED) } });
      }
      return;
    }
    try {
      await super.run(context);
      await this.deps.conversationState.saveChanges(context);
    } catch (err) {
      if (err instanceof StateConflictError) {
        turnLogger(this.deps.logger, context).warn({ event: 'stateConflict' }, 'conversation state changed concurrently; turn not saved');
        await context.sendActivity(
          'Sorry, that did not save: this conversation changed at the same moment somewhere else (perhaps in another window). Please send it again.',
        );
        return;
      }
      throw err;
    }
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    // botbuilder reads `value.action.type` and sets `value.kind` without looking: a value of the
    // wrong shape would fail the turn (and answer 501) instead of being the bad request it is.
    const { name, value } = context.activity;
    const malformed =
      (name === 'adaptiveCard/action' && !(isRecord(value) && isRecord(value.action) && typeof value.action.type === 'string')) || (name === 'application/search' && !isRecord(value));
    if (malformed) return { status: 400, body: invokeError(400, 'BadRequest', 'That request was not in a form this app understands.') };
    return super.onInvokeActivity(context);
  }

  /** Type-ahead for the pupil picker: only children of the caller's own school, names and year only. */
  protected override async onSearchInvoke(context: TurnContext, invokeValue: SearchInvokeValue): Promise<SearchInvokeResponse> {
    // The picker names its school (someone on the staff of two schools searches the one they chose).
    const [dataset, schoolId] = typeof invokeValue.dataset === 'string' ? invokeValue.dataset.split('@') : [];
    const membership = await this.membership(context, schoolId);
    const query = typeof invokeValue.queryText === 'string' ? invokeValue.queryText.slice(0, 100) : '';
    const results =
      membership && dataset === PUPIL_DATASET ? await this.deps.services.searchPupils(membership.school.id, query, 15) : [];
    if (!membership) turnLogger(this.deps.logger, context).warn({ event: 'searchRefused' }, 'type-ahead search from someone not on a staff list');
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.search.searchResponse',
      value: { results: results.map((r) => ({ title: r.label, value: r.id })) },
    };
  }

  /**
   * Universal Actions (Action.Execute) from an approval card: one handler per verb in bot/actions/.
   * Answered within the invoke's few seconds; deny by default.
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const log = turnLogger(this.deps.logger, context);
    const verb = invokeValue?.action?.verb;
    if (typeof verb === 'string' && (SETTINGS_VERBS as readonly string[]).includes(verb) && this.deps.settings) {
      return this.deps.settings.invoke(context, verb as SettingsVerb, invokeValue.action.data);
    }
    if (typeof verb !== 'string' || !(APPROVAL_VERBS as readonly string[]).includes(verb)) {
      log.warn({ event: 'unknownVerb' }, 'card action with an unknown verb');
      return invokeError(400, 'BadRequest', 'That button is not recognised.');
    }
    const membership = await this.membershipFor(context, invokeValue.action.data);
    const aadObjectId = context.activity.from.aadObjectId;
    if (!membership || !aadObjectId) {
      log.warn({ event: 'actionRefused', verb }, 'card action from someone not on a staff list');
      return invokeError(403, 'Forbidden', NOT_STAFF);
    }
    const lines: string[] = [];
    const result = await ACTIONS[verb as ApprovalVerb].run(
      { membership, actor: { aadObjectId, name: membership.member.name }, approvals: this.deps.approvals, tracker: this.deps.tracker, newStarters: this.deps.newStarters, say: (line) => lines.push(line) },
      invokeValue.action.data,
    );
    if (!result.ok) return invokeError(400, 'BadRequest', result.message);
    if (!result.card) return invokeError(404, 'NotFound', 'That case could not be found.');
    // On a phone the updated card scrolls out of view: the outcome is also said in one line below it.
    for (const line of lines) {
      // The decision is already recorded and the card says so: a line that cannot be posted is not worth failing the button for.
      await context.sendActivity(line).catch((err: unknown) => log.warn({ event: 'decisionLineNotSent', err: errorSummary(err) }, 'could not post the decision line'));
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { ...result.card } };
  }

  private async tenantAllowed(context: TurnContext): Promise<boolean> {
    const tenantId = tenantOf(context);
    if (!tenantId) return false;
    if (this.deps.allowedTenantIds.length > 0) return this.deps.allowedTenantIds.includes(tenantId);
    return (await this.deps.directory.tenants()).has(tenantId);
  }

  private membership(context: TurnContext, schoolId?: string): Promise<Membership | undefined> {
    return this.deps.directory.membership(tenantOf(context), context.activity.from.aadObjectId, schoolId);
  }

  /**
   * The school a card's button acts in: the one it names, or for older cards, the one of this
   * person's schools that holds the case (someone on the staff of two schools of a trust).
   */
  private async membershipFor(context: TurnContext, data: unknown): Promise<Membership | undefined> {
    const all = await this.deps.directory.memberships(tenantOf(context), context.activity.from.aadObjectId);
    if (all.length <= 1) return all[0];
    const named = isRecord(data) && typeof data.school === 'string' ? all.find((m) => m.school.id === data.school) : undefined;
    if (named) return named;
    const caseId = isRecord(data) && typeof data.caseId === 'string' ? data.caseId : undefined;
    if (!caseId) return undefined;
    for (const m of all) if (await this.deps.cases.get(m.school.id, caseId).catch(() => undefined)) return m;
    return undefined;
  }

  /** Someone opened a personal chat with the bot: remember their name and work address (after the turn). */
  private rememberPerson(context: TurnContext): void {
    const tenantId = tenantOf(context);
    const ref = referenceOf(context);
    const roster = this.deps.roster;
    // Read now: the turn's context is gone by the time work after the turn runs.
    const userId = context.activity.from.id;
    if (tenantId && ref && roster) this.deps.afterTurn(() => roster.remember(tenantId, ref, userId));
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    if (context.activity.conversation.conversationType === 'channel' || context.activity.conversation.conversationType === 'groupChat') {
      await context.sendActivity(NOT_HERE);
      return;
    }
    const dc = await this.dialogs.create(context);
    if (dc.activeDialog) {
      if (!(await this.membership(context))) {
        await this.dialogState.delete(context);
        await context.sendActivity(NOT_STAFF);
        return;
      }
      try {
        const result = await dc.continueDialog();
        // The card answered this turn, if no question took its place, is put away now.
        await putAwayNow(context);
        // "new starter" or "menu" typed at the name step: that dialog stopped, and the words start what they say.
        const handedBack = handedBackText(result.result);
        if (handedBack !== undefined) {
          const next = recogniseIntent(handedBack);
          return next.kind === 'start' ? this.startDialog(context, next.dialog, undefined, handedBack) : this.sendWelcome(context);
        }
        if (result.status !== DialogTurnStatus.empty) return;
      } catch (err) {
        if (!isStaleDialogState(err)) throw err;
        turnLogger(this.deps.logger, context).warn({ event: 'staleDialogState', err: errorSummary(err) }, 'stored dialog could not be continued; restarting');
        await this.dialogState.delete(context);
        await context.sendActivity('Sorry, I have been updated since we last spoke and could not carry on with that. Nothing was saved or sent. Please start again:');
        await this.sendWelcome(context);
        return;
      }
    }

    const { activity } = context;
    if (activity.value !== undefined && activity.value !== null) return this.handleCardPayload(context, activity.value);

    const text = typeof activity.text === 'string' ? (TurnContext.removeRecipientMention(activity) ?? activity.text) : '';
    const roleCommand = parseRoleCommand(text);
    if (roleCommand && this.deps.settings) return this.deps.settings.roleCommand(context, roleCommand);
    const intent = recogniseIntent(text);
    switch (intent.kind) {
      case 'help':
        return this.sendHelp(context);
      case 'menu':
        return this.sendWelcome(context);
      case 'start':
        return this.startDialog(context, intent.dialog, undefined, text);
      case 'cancel':
      case 'back':
        await context.sendActivity('There is nothing in progress to stop. Type "menu" to see what I can do.');
        return;
      case 'unknown':
        if (!(await this.welcomed.get(context, false))) return this.sendWelcome(context);
        await context.sendActivity('Sorry, I did not understand that. Type "attendance", "suspension" or "new starter" to begin, or "help".');
    }
  }

  /** A button pressed with no dialog waiting for it: a menu button, or a card from a finished dialog. */
  private async handleCardPayload(context: TurnContext, value: unknown): Promise<void> {
    const menu = menuPayloadSchema.safeParse(value);
    if (menu.success) {
      if (menu.data.verb === 'showHelp') return this.sendHelp(context);
      if (menu.data.verb === 'showMenu') return this.sendWelcome(context);
      return this.startDialog(context, menu.data.dialog, menu.data.school);
    }
    const form = formPayloadSchema.safeParse(value);
    // Draft ids are made by randomUUID; anything else is not ours, and is never passed to storage
    // (a lone surrogate in a row key would fail the turn, a quote or slash would reach the URL).
    const draftId = form.success && typeof form.data.draftId === 'string' && DRAFT_ID.test(form.data.draftId) ? form.data.draftId : undefined;
    const membership = await this.membership(context);
    if (form.success && form.data.question === 'confirm' && draftId && membership) {
      // Send pressed twice, or again after a reply that got lost: tell them it is already saved.
      const existing = await this.deps.cases.findByDraft(membership.school.id, draftId);
      const record = existing ? await this.deps.cases.get(membership.school.id, existing.caseId) : undefined;
      const view = record ? planViewFor(membership.roles, record.plan) : undefined;
      if (record && view) {
        const people = planByPerson(record.plan, membership.school, record.raisedBy, membership.member.aadObjectId);
        await context.sendActivity(cardReply(receiptCard(record.ref, DIALOG_SPECS[record.caseType].title, view, true, people)));
        return;
      }
    }
    await context.sendActivity('That card is from a conversation that has finished, so it no longer does anything. Here is the menu:');
    await this.sendWelcome(context);
  }

  /** @param opening the sentence that asked for it, which may already name the child ("Leo's attendance is dropping"). */
  private async startDialog(context: TurnContext, kind: DialogKind, schoolId?: string, opening?: string): Promise<void> {
    const all = await this.deps.directory.memberships(tenantOf(context), context.activity.from.aadObjectId);
    if (all.length > 1 && !all.some((m) => m.school.id === schoolId)) {
      // On the staff of two schools of a trust: this concern is for one of them; ask which.
      await this.capture(context);
      const schools = all.map((m) => ({ id: m.school.id, name: m.school.name })).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
      await context.sendActivity(cardReply(schoolChoiceCard(kind, schools)));
      return;
    }
    const membership = all.length > 1 ? all.find((m) => m.school.id === schoolId) : all[0];
    if (!membership) {
      turnLogger(this.deps.logger, context).warn({ event: 'notStaff' }, 'someone not on a staff list tried to raise a concern');
      await context.sendActivity(NOT_STAFF);
      return;
    }
    if (!dialogsFor(membership).includes(kind)) {
      await context.sendActivity('Recording a PEP meeting is for the Designated Teacher, the DSL or the headteacher. If a PEP meeting has happened, please let the Designated Teacher know.');
      return;
    }
    await this.capture(context);
    const ctx: FormContext = {
      formId: kind,
      version: FORM_VERSION,
      schoolId: membership.school.id,
      tenantId: membership.school.tenantId,
      user: { aadObjectId: membership.member.aadObjectId, name: membership.member.name },
      roles: membership.roles,
      today: londonDate(this.deps.services.now()),
      demo: this.deps.demo,
      draftId: randomUUID(),
      ...(opening?.trim() ? { opening: opening.trim().slice(0, 500) } : {}),
    };
    const dc = await this.dialogs.create(context);
    await dc.cancelAllDialogs();
    await dc.beginDialog(kind, { ctx });
    await this.welcomed.set(context, true);
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    await this.capture(context);
    const membership = await this.membership(context);
    await context.sendActivity(cardReply(welcomeCard({ schoolName: membership?.school.name, demo: this.deps.demo, available: dialogsFor(membership) })));
    await this.welcomed.set(context, true);
  }

  private async sendHelp(context: TurnContext): Promise<void> {
    await context.sendActivity(cardReply(helpCard()));
    await this.welcomed.set(context, true);
  }

  /** `reread`: an install (see captureReference). */
  private async capture(context: TurnContext, o: { reread?: boolean } = {}): Promise<void> {
    try {
      const seen = await captureReference(context, this.deps.conversationRefs, o);
      const tenantId = tenantOf(context);
      const aadObjectId = context.activity.from.aadObjectId;
      // Only a new or changed reference can release anything: a card waits only while there is none.
      if ((seen === 'created' || seen === 'changed') && tenantId && aadObjectId && context.activity.conversation.conversationType !== 'channel') {
        // Cards that waited for this person to install the app go now, after this turn's reply.
        this.deps.afterTurn(() => this.deps.releaseWaitingFor(tenantId, aadObjectId));
      }
    } catch (err) {
      // A failed capture must not stop the user's turn; the next turn tries again.
      turnLogger(this.deps.logger, context).warn({ event: 'captureFailed', err: errorSummary(err) }, 'could not save conversation reference');
    }
  }
}
