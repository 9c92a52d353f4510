import { randomUUID } from 'node:crypto';
import { virtualSchoolRequestCard } from '../cards/settingsCards';
import { londonDate } from '../policy/dates';
import { localAuthorityLabel } from '../policy/localAuthorities';
import { SchoolProfile } from '../policy/schoolProfile';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { ProactiveSender } from '../delivery/proactive';
import { Logger } from '../telemetry/logger';
import { toDsls } from './toStaff';

/**
 * Asks the DSL and deputies for a Virtual School's contact, when a concern is raised about a child
 * in care placed by an authority the school has none for. Once a day per authority, whichever
 * instance raised the concern (the digest's lease row, `ask|vs|<authority>|<date>`).
 */
export function virtualSchoolAsk(deps: { cases: CaseRepository; conversationRefs: ConversationRefRepository; sender: ProactiveSender; logger: Logger; clock: () => Date }) {
  const owner = randomUUID();
  return async (school: SchoolProfile, localAuthority: string, caseRef: string): Promise<void> => {
    const now = deps.clock();
    const rowKey = `ask|vs|${localAuthority.toUpperCase().replace(/[^A-Z0-9]/g, '')}|${londonDate(now)}`;
    const claim = await deps.cases.claimRun(school.id, rowKey, owner, now);
    if (!claim.claimed || !claim.etag) return;
    const card = virtualSchoolRequestCard({ schoolId: school.id, schoolName: school.name, localAuthority, localAuthorityLabel: localAuthorityLabel(localAuthority), caseRef });
    const told = await toDsls(deps, school, card, 'contactAskNotSent');
    await deps.cases.finishRun(school.id, rowKey, claim.etag, deps.clock(), { told });
    deps.logger.info({ event: 'virtualSchoolAsked', school: school.id, told }, 'asked the DSL for a Virtual School contact');
  };
}
