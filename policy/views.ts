import { CaseType } from './cases';
import { formatDate, IsoDate } from './dates';
import { Role, viewFor } from './roles';
import { RECIPIENT_LABEL, Recipient, RoutingPlan, RoutingStep, Timing } from './routing/step';
import { citationText } from './profiles/citations';

/**
 * Need to know (Offord and the provider template: "share confidential and personal information on
 * a need to know basis only"): a member of staff who raises a concern sees who will be told and by
 * when, never why the child qualifies; the DSL and DT see everything; the SLT channel sees numbers.
 */
export interface StaffStep {
  who: string;
  /** The school role that acts on it (who by name comes from the profile: policy/stepOwners.ts). */
  owner: Role;
  what: string;
  when: string;
  deadline: IsoDate;
}

export interface StaffPlanView {
  view: 'staff';
  caseType: CaseType;
  /** Why the case cannot be sent as it stands (a suspension past the 45-day limit). */
  blocked?: string;
  steps: StaffStep[];
}

export interface LeadStep extends RoutingStep {
  whoLabel: string;
  when: string;
  citation: string;
}

export interface LeadPlanView {
  view: 'lead';
  caseType: CaseType;
  blocked?: string;
  inScope: boolean;
  /** A new starter not on the register yet: the statuses are as staff reported them. */
  statusReported?: boolean;
  statusLabels: string[];
  steps: LeadStep[];
}

export function whenLabel(timing: Timing, deadline: IsoDate, today: IsoDate): string {
  const date = formatDate(deadline);
  const isToday = deadline === today;
  switch (timing.kind) {
    case 'immediately':
      return isToday ? 'now' : `first thing ${date}`;
    case 'sameDay':
      return isToday ? 'today' : date;
    case 'beforeDecision':
      return timing.label ?? 'before any decision';
    case 'withoutDelay':
      return isToday ? 'without delay, today' : `without delay, by ${date}`;
    case 'promptly':
      return isToday ? 'promptly, today' : `promptly, by ${date}`;
    case 'schoolDays':
      return `by ${date}, within ${timing.days} school day${timing.days === 1 ? '' : 's'}${timing.from === 'startDate' ? ' of the start' : timing.from === 'decision' ? ' of the first day' : ''}`;
    case 'byDate':
      return `by ${date}, ${timing.label}`;
  }
}

/** A step's deadline in words, said to be an estimate when it falls after the term dates the school has entered. */
function stepWhen(s: Pick<RoutingStep, 'timing' | 'deadline' | 'estimated'>, today: IsoDate): string {
  const when = whenLabel(s.timing, s.deadline, today);
  return s.estimated ? `${when}, estimated: term dates not entered yet` : when;
}

export function staffView(plan: RoutingPlan): StaffPlanView {
  return {
    view: 'staff',
    caseType: plan.caseType,
    ...(plan.blocked ? { blocked: plan.blocked.reason } : {}),
    steps: plan.steps.map((s) => ({ who: RECIPIENT_LABEL[s.who], owner: s.owner, what: s.staffWhat, when: stepWhen(s, plan.today), deadline: s.deadline })),
  };
}

export function leadView(plan: RoutingPlan): LeadPlanView {
  return {
    view: 'lead',
    caseType: plan.caseType,
    ...(plan.blocked ? { blocked: plan.blocked.reason } : {}),
    inScope: plan.inScope,
    ...(plan.statusReported ? { statusReported: true } : {}),
    statusLabels: plan.statusLabels,
    steps: plan.steps.map((s) => ({ ...s, whoLabel: RECIPIENT_LABEL[s.who], when: stepWhen(s, plan.today), citation: citationText(s.source) })),
  };
}

/** The view a user's roles entitle them to; undefined for someone with no role (deny by default). */
export function planViewFor(roles: readonly Role[], plan: RoutingPlan): StaffPlanView | LeadPlanView | undefined {
  const view = viewFor(roles);
  if (view === 'lead') return leadView(plan);
  if (view === 'staff') return staffView(plan);
  return undefined;
}

/** What may go to the SLT channel: counts only. No child, no status, no free text. */
export interface SltSummary {
  cases: number;
  byCaseType: Record<CaseType, number>;
  stepsByRecipient: Partial<Record<Recipient, number>>;
  awaitingApproval: number;
  safeguardingFlags: number;
  statutoryLimitFlags: number;
  differentInterventionFlags: number;
}

export function sltSummary(plans: readonly RoutingPlan[]): SltSummary {
  const summary: SltSummary = {
    cases: plans.length,
    byCaseType: { attendance: 0, suspension: 0, admission: 0 },
    stepsByRecipient: {},
    awaitingApproval: 0,
    safeguardingFlags: 0,
    statutoryLimitFlags: 0,
    differentInterventionFlags: 0,
  };
  for (const plan of plans) {
    summary.byCaseType[plan.caseType]++;
    for (const s of plan.steps) {
      summary.stepsByRecipient[s.who] = (summary.stepsByRecipient[s.who] ?? 0) + 1;
      if (s.needsApprovalBy) summary.awaitingApproval++;
      if (s.flag === 'safeguarding') summary.safeguardingFlags++;
      if (s.flag === 'statutoryLimit') summary.statutoryLimitFlags++;
      if (s.flag === 'differentIntervention') summary.differentInterventionFlags++;
    }
  }
  return summary;
}
