import { deliveryAlertCard } from '../cards/alertCard';
import { AdaptiveCard } from '../cards/adaptiveCard';
import { approvalCard, ExternalStepLine } from '../cards/approvalCard';
import { caseSummaryRows } from '../cards/caseSummary';
import { CaseHeader, caseNotificationCard } from '../cards/planCards';
import { planByPerson } from '../policy/stepOwners';
import { pupilLabel } from '../policy/pupil';
import { CaseRecord, ExternalNotification, Notification, StaffNotification } from '../policy/caseRecord';
import { formatLondonDateTime } from '../policy/dates';
import { Pupil } from '../policy/pupil';
import { approversOf, mayDecide } from '../policy/approval';
import { RoutingPlan } from '../policy/routing/step';
import { SchoolProfile } from '../policy/schoolProfile';
import { leadView, staffView, whenLabel } from '../policy/views';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { actionCardFor } from './actionTracker';
import { PersonalRefs } from '../delivery/personalRefs';
import { PupilDirectory } from './pupilDirectory';
import { MatchNote, newStarterMatchState } from './newStarterMatches';
import { withNewStarterMatch } from '../cards/newStarterMatchCard';
import { newStarterLabel } from '../policy/newStarter';
import { Role } from '../policy/roles';

export const CASE_TITLES: Record<CaseRecord['caseType'], string> = { attendance: 'Attendance concern', suspension: 'Worry about a suspension', admission: 'A child joining us' };

/** Builds the cards staff receive about a case: what they may see, and nothing more. */
export class StaffCards {
  constructor(
    private readonly deps: {
      cases: CaseRepository;
      pupils: PupilDirectory;
      conversationRefs: ConversationRefRepository;
    },
  ) {}

  async subject(record: CaseRecord): Promise<{ label: string; pupil?: Pupil }> {
    if (record.subject.kind === 'notOnRegister') return { label: `${record.subject.description} (not on the register)` };
    if (record.subject.kind === 'newStarter') return { label: newStarterLabel(record.subject) };
    const pupil = await this.deps.pupils.get(record.schoolId, record.subject.pupilId);
    return pupil ? { label: pupilLabel(pupil), pupil } : { label: 'A child no longer on the register' };
  }

  /** Teams ids (MRIs) of the approvers who have the app: they get the buttons when the card refreshes. */
  async approverMris(profile: SchoolProfile, lookups: PersonalRefs = new PersonalRefs(this.deps.conversationRefs), record?: CaseRecord): Promise<string[]> {
    const approvers = approversOf(profile.staff, record);
    await lookups.prefetch(profile.tenantId, approvers.map((a) => a.aadObjectId));
    const refs = await Promise.all(approvers.map((a) => lookups.find(profile.tenantId, a.aadObjectId)));
    return refs.map((r) => r?.userId).filter((id): id is string => Boolean(id));
  }

  /** `refs`: references already looked up for this case's other cards (see PersonalRefs). */
  /** `compact`: the card shortened to fit a connector that refused the full one as too big (413). */
  async build(record: CaseRecord, n: StaffNotification, profile: SchoolProfile, all: readonly Notification[], refs?: PersonalRefs, o: { compact?: boolean } = {}): Promise<AdaptiveCard> {
    const card = await this.buildFor(record, n, profile, all, refs, o);
    // The approval card carries its own (see approval); a lead's case card gets the new starter's match button here.
    return n.kind === 'case' && n.view === 'lead' ? this.withNewStarter(record, card) : card;
  }

  /**
   * A lead's card for a case, as a button they pressed answers it: the approval card when the case
   * has one, else the case card. `matchNote`: why their match to the register did not go through.
   */
  async leadCard(record: CaseRecord, profile: SchoolProfile, roles: readonly Role[], matchNote?: MatchNote): Promise<AdaptiveCard> {
    if (record.approval.required) return this.approval(record, profile, { forApprover: mayDecide(roles, record), ...(matchNote ? { matchNote } : {}) });
    const all = await this.deps.cases.notifications(record.schoolId, record.id);
    const card = caseNotificationCard({
      ...(await this.header(record)),
      view: leadView(record.plan),
      externalAwaitingApproval: all.filter((x) => x.channel === 'email' && x.status === 'awaitingApproval').length,
    });
    return this.withNewStarter(record, card, matchNote);
  }

  /** A lead's card with the new starter's part: the match button until matched, then who matched them. */
  private async withNewStarter(record: CaseRecord, card: AdaptiveCard, matchNote?: MatchNote): Promise<AdaptiveCard> {
    const state = await newStarterMatchState(record, this.deps, matchNote);
    return state ? withNewStarterMatch(card, state) : card;
  }

  private async buildFor(record: CaseRecord, n: StaffNotification, profile: SchoolProfile, all: readonly Notification[], refs?: PersonalRefs, o: { compact?: boolean } = {}): Promise<AdaptiveCard> {
    if (n.kind === 'deadline' && n.about) {
      const found = await this.deps.cases.getAction(record.schoolId, record.id, n.about);
      if (found) return actionCardFor(profile, record, found.action, found.action.status === 'open' ? (n.deadlineState ?? 'dueToday') : 'done');
    }
    if (n.kind === 'alert') {
      const failed = all.find((x) => x.id === n.about);
      return deliveryAlertCard({
        ref: record.ref,
        recipient: failed ? failed.to.name : 'someone outside school',
        attempts: failed?.delivery?.attempts ?? 0,
        problem: failed?.delivery?.lastError ?? 'unknown',
      });
    }
    const banner =
      n.reminder === 'reminder'
        ? `Reminder: this has been waiting for a decision since ${formatLondonDateTime(new Date(record.raisedAt))}.`
        : n.reminder === 'escalation'
          ? 'Escalated: the DSL has not yet decided on this. Please act on it if you can.'
          : undefined;
    if (n.kind === 'approval') {
      const forApprover = mayDecide(n.to.roles, record);
      return this.approval(record, profile, { forApprover, notifications: all, ...(banner ? { banner } : {}), ...(refs ? { refs } : {}), ...(o.compact ? { compact: true } : {}) });
    }
    return caseNotificationCard({
      ...(await this.header(record)),
      view: n.view === 'lead' ? leadView(record.plan) : staffView(onlySteps(record.plan, n.stepIds)),
      externalAwaitingApproval: n.view === 'lead' ? all.filter((x) => x.channel === 'email' && x.status === 'awaitingApproval').length : 0,
      ...(o.compact ? {} : { people: planByPerson(n.view === 'lead' ? record.plan : onlySteps(record.plan, n.stepIds), profile, record.raisedBy, n.to.aadObjectId) }),
      ...(o.compact ? { compact: true } : {}),
    });
  }

  private async header(record: CaseRecord): Promise<CaseHeader> {
    const { label } = await this.subject(record);
    return {
      ref: record.ref,
      title: CASE_TITLES[record.caseType],
      subject: label,
      raisedBy: record.raisedBy.name,
      raisedAt: formatLondonDateTime(new Date(record.raisedAt)),
      summary: caseSummaryRows(record.answers),
    };
  }

  /** The approval card as a given reader should see it now (buttons only for an undecided approver copy). */
  async approval(record: CaseRecord, profile: SchoolProfile, o: Parameters<StaffCards['approvalFor']>[2] & { matchNote?: MatchNote }): Promise<AdaptiveCard> {
    return this.withNewStarter(record, await this.approvalFor(record, profile, o), o.matchNote);
  }

  private async approvalFor(
    record: CaseRecord,
    profile: SchoolProfile,
    o: { forApprover: boolean; notifications?: readonly Notification[]; error?: string; banner?: string; refs?: PersonalRefs; compact?: boolean },
  ): Promise<AdaptiveCard> {
    const notifications = o.notifications ?? (await this.deps.cases.notifications(record.schoolId, record.id));
    const external = notifications.filter((n): n is ExternalNotification => n.channel === 'email');
    const decision = record.approval.decision;
    return approvalCard({
      ...(await this.header(record)),
      caseId: record.id,
      view: leadView(record.plan),
      external: external.map((n) => externalLine(record, n)),
      // A decided card has no refresh, so nobody's Teams id is needed on it: no lookups on the approver's wait.
      approverMris: decision ? [] : await this.approverMris(profile, o.refs, record),
      forApprover: o.forApprover,
      ...(o.error ? { error: o.error } : {}),
      ...(o.banner ? { banner: o.banner } : {}),
      ...(o.compact ? { compact: true } : {}),
      ...(decision
        ? {
            decided: {
              outcome: decision.outcome,
              by: decision.by.name,
              at: formatLondonDateTime(new Date(decision.at)),
              ...(decision.reason ? { reason: decision.reason } : {}),
              sent: decision.sendNotificationIds.length,
              withheld: external.length - decision.sendNotificationIds.length,
            },
          }
        : {}),
    });
  }
}

/** "The Virtual School is contacted: promptly, by Tue 1 Dec 2026", without saying the deadline twice. */
function withWhen(what: string, when: string): string {
  if (!when || what.toLowerCase().includes(when.toLowerCase())) return what;
  return `${what.replace(/\.$/, '')}: ${when}.`;
}

function externalLine(record: CaseRecord, n: ExternalNotification): ExternalStepLine {
  const step = record.plan.steps.find((s) => s.id === n.stepIds[0]);
  const when = step ? whenLabel(step.timing, step.deadline, record.plan.today) : '';
  return {
    notificationId: n.id,
    ...(step?.duty ? { duty: true } : {}),
    recipient: `${n.to.name}${n.to.email ? ` <${n.to.email}>` : ' (no email address on record)'}`,
    summary: step ? withWhen(step.staffWhat, when) : 'A message',
  };
}

function onlySteps(plan: RoutingPlan, ids: readonly string[]): RoutingPlan {
  const wanted = new Set(ids);
  return { ...plan, steps: plan.steps.filter((s) => wanted.has(s.id)) };
}
