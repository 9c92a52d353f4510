import { TurnContext } from 'botbuilder';
import { AdaptiveCard } from '../../cards/adaptiveCard';
import { cardReply } from '../../cards/cardReply';

/** The card a button was pressed on, and the read-only line it becomes unless a question takes its place. */
interface Answered {
  id: string;
  usedCard: AdaptiveCard;
}

const ANSWERED = Symbol('answeredCard');
const WATCHING = Symbol('answeredCardWatched');

/**
 * Marks the card just answered (by its own button) to be put away. The next question, or the
 * receipt after Send, if it is what the turn sends first, takes the card's place in the chat: one
 * card moving through the form, as Teams' sequential workflows do, rather than a trail of used
 * cards on a phone's screen, and one call to the connector rather than two. Anything else sent
 * first (a message), or the end of the turn (`putAwayNow`), puts it away as its read-only line.
 */
export function putAwayLater(context: TurnContext, id: string, usedCard: AdaptiveCard): void {
  context.turnState.set(ANSWERED, { id, usedCard } satisfies Answered);
  if (context.turnState.get(WATCHING)) return;
  context.turnState.set(WATCHING, true);
  context.onSendActivities(async (ctx, _activities, next) => {
    await putAwayNow(ctx);
    return next();
  });
}

/** Puts away the answered card, if one is waiting: a card that can no longer be replaced changes nothing that matters. */
export async function putAwayNow(context: TurnContext): Promise<void> {
  const answered = take(context);
  if (answered) await replace(context, answered.id, answered.usedCard).catch(() => undefined);
}

/** Sends the form's next card (a question, or the receipt): in place of the card just answered when there is one, else as a new message. */
export async function sendInPlaceOfAnswered(context: TurnContext, card: AdaptiveCard): Promise<void> {
  const answered = take(context);
  if (answered) {
    try {
      await replace(context, answered.id, card);
      return;
    } catch {
      // Too old or deleted to replace: the card comes as a new message, and nothing is lost.
    }
  }
  await context.sendActivity(cardReply(card));
}

function replace(context: TurnContext, id: string, card: AdaptiveCard): Promise<void> {
  return context.updateActivity({ type: 'message', id, ...cardReply(card) }).then(() => undefined);
}

function take(context: TurnContext): Answered | undefined {
  const answered = context.turnState.get<Answered | undefined>(ANSWERED);
  context.turnState.delete(ANSWERED);
  return answered;
}
