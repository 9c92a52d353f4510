import { Activity, CardFactory, StatePropertyAccessor, TeamsActivityHandler, TurnContext } from 'botbuilder';
import { AdaptiveCard } from '../cards/adaptiveCard';
import { helpCard } from '../cards/helpCard';
import { DialogKind, menuPayloadSchema } from '../cards/verbs';
import { DIALOG_TITLES, welcomeCard } from '../cards/welcomeCard';
import { recogniseIntent } from '../dialogs/intents';
import { StateConflictError } from '../storage/tableStateStorage';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { tenantOf } from './activityFacts';
import { captureReference } from './conversationReferences';
import { errorSummary } from './errors';
import { Logger } from './logger';
import { OptimisticConversationState } from './optimisticState';
import { SchoolDirectory } from './schoolDirectory';
import { turnLogger } from './turnLogger';

export interface BotDependencies {
  conversationState: OptimisticConversationState;
  conversationRefs: ConversationRefRepository;
  directory: SchoolDirectory;
  logger: Logger;
  demo: boolean;
  /** Tenants served; empty means the tenants of the schools in the store. */
  allowedTenantIds: readonly string[];
}

/** Guided dialogs that are built; the welcome card marks the rest as coming soon. */
const AVAILABLE_DIALOGS: readonly DialogKind[] = [];

export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return { attachments: [CardFactory.adaptiveCard(card)] };
}

/**
 * Routes Teams activities and nothing more: what to do with each lives in dialogs, card actions and
 * repositories. State is saved once at the end of every turn, conditionally on its eTag.
 */
export class SocialWorkerBot extends TeamsActivityHandler {
  private readonly welcomed: StatePropertyAccessor<boolean>;

  constructor(private readonly deps: BotDependencies) {
    super();
    this.welcomed = deps.conversationState.createProperty<boolean>('welcomed');

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      if (botAdded) {
        await this.capture(context);
        await this.sendWelcome(context);
      }
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.capture(context);
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
        await context.sendActivity('This app is not set up for your organisation. Please speak to your school\'s IT team.');
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

  private async tenantAllowed(context: TurnContext): Promise<boolean> {
    const tenantId = tenantOf(context);
    if (!tenantId) return false;
    if (this.deps.allowedTenantIds.length > 0) return this.deps.allowedTenantIds.includes(tenantId);
    return (await this.deps.directory.tenants()).has(tenantId);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.value !== undefined && activity.value !== null) {
      const parsed = menuPayloadSchema.safeParse(activity.value);
      if (!parsed.success) {
        await context.sendActivity('That button is from an older card and no longer works. Here is the menu again.');
        await this.sendWelcome(context);
        return;
      }
      const payload = parsed.data;
      if (payload.verb === 'showHelp') return this.sendHelp(context);
      if (payload.verb === 'showMenu') return this.sendWelcome(context);
      return this.startDialog(context, payload.dialog);
    }

    const text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
    const intent = recogniseIntent(text);
    switch (intent.kind) {
      case 'help':
        return this.sendHelp(context);
      case 'menu':
        return this.sendWelcome(context);
      case 'start':
        return this.startDialog(context, intent.dialog);
      case 'cancel':
      case 'back':
        await context.sendActivity('There is nothing in progress to stop. Type "menu" to see what I can do.');
        return;
      case 'unknown':
        if (!(await this.welcomed.get(context, false))) return this.sendWelcome(context);
        await context.sendActivity('Sorry, I did not understand that. Type "attendance", "suspension" or "new starter" to begin, or "help".');
    }
  }

  private async startDialog(context: TurnContext, dialog: DialogKind): Promise<void> {
    if (!AVAILABLE_DIALOGS.includes(dialog)) {
      await context.sendActivity(`"${DIALOG_TITLES[dialog]}" is coming soon. Until then, please speak to the Designated Safeguarding Lead (DSL) directly.`);
    }
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    await this.capture(context);
    const membership = await this.deps.directory.membership(tenantOf(context), context.activity.from.aadObjectId);
    await context.sendActivity(
      cardActivity(welcomeCard({ schoolName: membership?.school.name, demo: this.deps.demo, available: AVAILABLE_DIALOGS })),
    );
    await this.welcomed.set(context, true);
  }

  private async sendHelp(context: TurnContext): Promise<void> {
    await context.sendActivity(cardActivity(helpCard()));
    await this.welcomed.set(context, true);
  }

  private async capture(context: TurnContext): Promise<void> {
    try {
      await captureReference(context, this.deps.conversationRefs);
    } catch (err) {
      // A failed capture must not stop the user's turn; the next turn tries again.
      turnLogger(this.deps.logger, context).warn({ event: 'captureFailed', err: errorSummary(err) }, 'could not save conversation reference');
    }
  }
}

