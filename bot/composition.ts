import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TableStateStorage } from '../storage/tableStateStorage';
import { TABLES, TableStore } from '../storage/tableStore';
import { CaseService } from './caseService';
import { Logger } from './logger';
import { OptimisticConversationState } from './optimisticState';
import { ProactiveSender } from './proactive';
import { PupilDirectory } from './pupilDirectory';
import { SchoolDirectory } from './schoolDirectory';
import { StaffNotifier } from './staffNotifier';
import { SocialWorkerBot } from './teamsBot';

export interface BotOptions {
  demo: boolean;
  allowedTenantIds: readonly string[];
  clock?: () => Date;
}

/** Everything the bot is made of, wired on one table store. Used by the server and by tests alike. */
export function composeBot(store: TableStore, logger: Logger, sender: ProactiveSender, options: BotOptions) {
  const clock = options.clock ?? (() => new Date());
  const schools = new SchoolRepository(store.client(TABLES.schools));
  const pupilRepo = new PupilRepository(store.client(TABLES.pupils));
  const cases = new CaseRepository(store.client(TABLES.cases));
  const conversationRefs = new ConversationRefRepository(store.client(TABLES.conversationRefs));
  const directory = new SchoolDirectory(schools);
  const pupils = new PupilDirectory(pupilRepo);
  const notifier = new StaffNotifier({ cases, directory, pupils, conversationRefs, sender, logger, clock });
  const services = new CaseService({ directory, pupils, cases, notifier, logger, clock });
  const conversationState = new OptimisticConversationState(new TableStateStorage(store.client(TABLES.botState)));
  const bot = new SocialWorkerBot({
    conversationState,
    conversationRefs,
    directory,
    services,
    cases,
    logger,
    demo: options.demo,
    allowedTenantIds: options.allowedTenantIds,
  });
  return { bot, services, cases, schools, pupilRepo, pupils, directory, conversationRefs, conversationState };
}
