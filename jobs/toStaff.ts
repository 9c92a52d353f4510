import { AdaptiveCard } from '../cards/adaptiveCard';
import { cardReply } from '../cards/cardReply';
import { SchoolProfile } from '../policy/schoolProfile';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { ProactiveSender } from '../delivery/proactive';
import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';

/** Sends a card to the school's DSL and deputy DSLs (the safeguarding team) who have the app; how many got it. */
export async function toDsls(
  deps: { conversationRefs: ConversationRefRepository; sender: ProactiveSender; logger: Logger },
  school: SchoolProfile,
  card: AdaptiveCard,
  failureEvent: string,
): Promise<number> {
  let delivered = 0;
  for (const dsl of school.staff.filter((s) => s.roles.includes('DSL') || s.roles.includes('deputyDSL'))) {
    const ref = await deps.conversationRefs.findPersonal(school.tenantId, dsl.aadObjectId);
    if (!ref) continue;
    try {
      await deps.sender.send(ref, cardReply(card));
      delivered++;
    } catch (err) {
      deps.logger.warn({ event: failureEvent, school: school.id, err: errorSummary(err) }, 'could not tell a DSL');
    }
  }
  return delivered;
}
