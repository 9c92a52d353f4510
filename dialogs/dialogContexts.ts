import { TurnContext } from 'botbuilder';
import { DialogContext, DialogSet, DialogStateManagerConfiguration } from './dialogsSdk';

/**
 * Where botbuilder-dialogs (4.23, memory/dialogStateManager.js) looks in a turn's state for the
 * memory configuration before building one. Its DialogManager passes the same thing in as
 * `stateConfiguration`; this bot drives a DialogSet directly, so it is given here.
 */
export const MEMORY_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';

/**
 * Makes each turn's DialogContext with the memory scopes and path resolvers of the first turn.
 * Without it, botbuilder-dialogs builds them again on every turn (a component registry, a
 * service collection, nine scopes and five resolvers, checked with zod): 0.1 ms a request in the
 * issue 20 profile, of the 1.4 ms a dialog turn costs the bot more than the stateful echo's. The
 * scopes and resolvers keep nothing of a turn (they read and write the turn's state), so one set
 * serves every turn and conversation.
 */
export class DialogContexts {
  private configuration: DialogStateManagerConfiguration | undefined;

  constructor(private readonly set: DialogSet) {}

  async create(context: TurnContext): Promise<DialogContext> {
    if (this.configuration) context.turnState.set(MEMORY_CONFIGURATION_KEY, this.configuration);
    const dc = await this.set.createContext(context);
    // botbuilder's own default, as it built it on the first turn.
    this.configuration ??= dc.state.configuration;
    return dc;
  }
}
