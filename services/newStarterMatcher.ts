import { AdaptiveCard } from '../cards/adaptiveCard';
import { approvalRefusedCard } from '../cards/approvalCard';
import { NOT_LISTED } from '../cards/questions/pupilCards';
import { Actor, AuditEntry, CaseRecord } from '../policy/caseRecord';
import { londonDate } from '../policy/dates';
import { reportedStatusOf } from '../policy/newStarter';
import { activeStatuses, Pupil, pupilLabel } from '../policy/pupil';
import { mayOpenRecord } from '../policy/tabAccess';
import { CaseRepository } from '../storage/caseRepository';
import { statusOf } from '../storage/tableStore';
import { Logger } from '../telemetry/logger';
import { MatchNote } from './newStarterMatches';
import { PupilDirectory } from './pupilDirectory';
import { Membership } from './schoolDirectory';
import { StaffCards } from './staffCards';

/** What the lead chose on the card: a pupil from the list, or a name typed where no list appears. */
export interface MatchChoice {
  pupilId?: string;
  name?: string;
}

export interface MatchOutcome {
  /** The lead's card as it now stands. */
  card: AdaptiveCard;
  /** One line for the chat, below the card (on a phone the card scrolls out of view). */
  line?: string;
}

const NOT_YOURS = 'Only the DSL, a deputy DSL or the headteacher (or the Designated Teacher, for a child in care or previously in care) can match this child to the register.';

/**
 * Matching a new starter to the register once they are on it: the case then names the pupil, so
 * their chronology, deadlines and retention follow them. Who may: whoever may open the child's
 * record (policy/tabAccess.ts), the leads who received the card. Recorded in the audit trail.
 */
export class NewStarterMatcher {
  constructor(
    private readonly deps: { cases: CaseRepository; pupils: PupilDirectory; cards: StaffCards; clock: () => Date; logger: Logger },
  ) {}

  /** Undefined when the case is not this school's (or does not exist). */
  async match(membership: Membership, actor: Actor, caseId: string, choice: MatchChoice): Promise<MatchOutcome | undefined> {
    const { cases, cards } = this.deps;
    const school = membership.school;
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await cases.getWithEtag(school.id, caseId);
      if (!found) return undefined;
      const { record, etag } = found;
      const today = londonDate(this.deps.clock());
      const subject = record.subject;
      if (subject.kind === 'onRegister' && subject.matched) {
        const pupil = await this.deps.pupils.get(school.id, subject.pupilId);
        if (!mayOpenRecord(membership.roles, pupil ?? { statuses: [] }, today)) return { card: approvalRefusedCard(record.ref, NOT_YOURS) };
        return { card: await cards.leadCard(record, school, membership.roles), line: `${record.ref} was already matched to the register by ${subject.matched.by}.` };
      }
      if (subject.kind !== 'newStarter') return { card: approvalRefusedCard(record.ref, 'This case is not about a new starter, so there is nobody to match to the register.') };
      if (!mayOpenRecord(membership.roles, subject, today)) return { card: approvalRefusedCard(record.ref, NOT_YOURS) };

      const resolved = await this.resolve(school.id, choice);
      if ('error' in resolved) return { card: await cards.leadCard(record, school, membership.roles, resolved) };
      const pupil = resolved.pupil;
      const at = this.deps.clock().toISOString();
      const matched: CaseRecord = { ...record, subject: { kind: 'onRegister', pupilId: pupil.id, matched: { by: actor.name, at } } };
      // The plan stays as it was made (and was sent); a register that says otherwise is for the DSL to act on.
      const differs = reportedStatusOf(subject.statuses) !== reportedStatusOf(activeStatuses(pupil, today));
      try {
        const entry: AuditEntry = {
          caseId,
          seq: await cases.nextAuditSeq(school.id, caseId),
          at,
          actor,
          action: 'matchedToRegister',
          detail: { pupilId: pupil.id, ...(differs ? { statusDiffers: true } : {}) },
        };
        await cases.recordMatch(matched, etag, pupil.id, await cases.actions(school.id, caseId), entry);
      } catch (err) {
        // 412: the case changed (a decision) since it was read; 409: the audit sequence was taken; 404: an action was closed meanwhile.
        const status = statusOf(err);
        if (status === 412 || status === 409 || status === 404) continue;
        throw err;
      }
      this.deps.logger.info({ event: 'newStarterMatched', school: school.id, caseId, statusDiffers: differs }, 'new starter matched to the register');
      return {
        card: await cards.leadCard(matched, school, membership.roles),
        line: `Matched ${record.ref} to ${pupilLabel(pupil)} on the register.${differs ? ' The register gives a different status from the one reported when the admission was raised: please check the plan still fits.' : ''}`,
      };
    }
    throw new Error(`could not match ${caseId} to the register after 5 tries`);
  }

  /** The pupil chosen, or why there is none: a name that finds several children offers them instead. */
  private async resolve(schoolId: string, choice: MatchChoice): Promise<{ pupil: Pupil } | MatchNote> {
    if (choice.pupilId && choice.pupilId !== NOT_LISTED) {
      const pupil = await this.deps.pupils.get(schoolId, choice.pupilId);
      return pupil ? { pupil } : { error: 'That child is not on our register. Please choose again, or type their name.' };
    }
    const name = choice.name?.trim() ?? '';
    if (name.length < 2) return { error: 'Please choose the child from the list, or type their name, then press Match.' };
    const found = await this.deps.pupils.search(schoolId, name, 5);
    const exact = found.filter((m) => m.label.toLowerCase().startsWith(`${name.toLowerCase()} (`));
    const only = found.length === 1 ? found[0] : exact.length === 1 ? exact[0] : undefined;
    if (only) {
      const pupil = await this.deps.pupils.get(schoolId, only.id);
      if (pupil) return { pupil };
    }
    if (found.length === 0) return { error: 'No child on our register has that name. If they have not been added yet, match them once the register has been loaded.' };
    return { error: 'More than one child on our register has that name: choose the right one from the list.', candidates: found };
  }
}
