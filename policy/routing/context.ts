import { SchoolCalendar } from '../calendar';
import { compareDates, IsoDate } from '../dates';
import { Citation, STATUTORY, StatutoryKey } from '../profiles/citations';
import { ResolvedPolicy, SchoolRuleId } from '../profiles';
import { CohortFlags } from '../pupil';
import { RoutedChild } from '../newStarter';
import { SchoolProfile, virtualSchoolFor } from '../schoolProfile';
import { localAuthorityLabel } from '../localAuthorities';
import { EXTERNAL_RECIPIENTS, RoutingStep, Timing } from './step';

export interface RuleContext {
  /** A pupil on the register, or a new starter's reported status (`statusReported`). */
  pupil: RoutedChild;
  flags: CohortFlags;
  profile: SchoolProfile;
  /** The school's own policy: the rules it states, each with its sentence. */
  policy: ResolvedPolicy;
  calendar: SchoolCalendar;
  today: IsoDate;
  /** Is a social worker allocated now (child in care, or on a current plan or section 17 assessment)? */
  hasSocialWorkerNow: boolean;
}

export interface StepInput extends Omit<RoutingStep, 'deadline' | 'late' | 'needsApprovalBy' | 'timing' | 'estimated'> {
  timing: Timing;
  /** The date school-day timings count from, when not today (start date, decision date). */
  base?: IsoDate;
}

/** The date a timing gives, moved to a school day and never before today. */
export function deadlineFor(ctx: Pick<RuleContext, 'calendar' | 'today'>, timing: Timing, base?: IsoDate): { deadline: IsoDate; late: boolean } {
  const { calendar, today } = ctx;
  const earliest = calendar.onOrAfter(today);
  let due: IsoDate;
  switch (timing.kind) {
    case 'immediately':
    case 'sameDay':
    case 'beforeDecision':
    case 'withoutDelay':
      due = earliest;
      break;
    case 'promptly':
      // "Promptly" (Leys, Holy Family): by the end of the next school day.
      due = calendar.addSchoolDays(today, 1);
      break;
    case 'schoolDays':
      due = calendar.addSchoolDays(timing.from === 'today' ? today : (base ?? today), timing.days);
      break;
    case 'byDate':
      due = calendar.onOrAfter(base ?? today);
      break;
  }
  if (compareDates(due, earliest) < 0) return { deadline: earliest, late: true };
  return { deadline: due, late: false };
}

export function makeStep(ctx: Pick<RuleContext, 'profile' | 'calendar' | 'today'>, input: StepInput): RoutingStep {
  const { base, ...rest } = input;
  const { deadline, late } = deadlineFor(ctx, input.timing, base);
  const external = EXTERNAL_RECIPIENTS.has(input.who);
  return {
    ...rest,
    deadline,
    ...(late ? { late } : {}),
    ...(ctx.calendar.isEstimated(deadline) ? { estimated: true } : {}),
    ...(external && ctx.profile.externalStepsNeedApproval ? { needsApprovalBy: 'DSL' as const } : {}),
  };
}

/**
 * What a step cites: the school's own sentence when its policy states the rule, else the statute;
 * and the other as a supporting source. Never another school's policy: the resolved policy holds
 * only this school's document.
 */
export function cite(ctx: Pick<RuleContext, 'policy'>, rule: SchoolRuleId | undefined, statutory?: StatutoryKey, ...more: Array<SchoolRuleId | StatutoryKey>): { source: Citation; alsoSources?: Citation[] } {
  const own = rule ? ctx.policy.cite(rule) : undefined;
  const law = statutory ? STATUTORY[statutory] : undefined;
  const extra = more.map((k) => (k in STATUTORY ? STATUTORY[k as StatutoryKey] : ctx.policy.cite(k as SchoolRuleId))).filter((c): c is Citation => c !== undefined);
  const all = [own, law, ...extra].filter((c): c is Citation => c !== undefined);
  const [source, ...also] = all;
  if (!source) throw new Error(`a step with no source: rule ${rule ?? '-'}, statute ${statutory ?? '-'}`);
  return also.length > 0 ? { source, alsoSources: also } : { source };
}

/** A looked-after child's Virtual School is the placing authority's (docs/DOMAIN.md, "Cohort status"). */
export function placingVirtualSchool(ctx: RuleContext): RoutingStep['contact'] {
  const la = ctx.flags.cla?.placingAuthority ?? ctx.profile.localAuthority;
  const vs = virtualSchoolFor(ctx.profile, la);
  // No contact yet: the step is still there to be done by phone, and the DSL is asked for the contact (jobs/virtualSchoolAsk.ts).
  return vs ? { name: vs.name, email: vs.email, phone: vs.phone } : { name: `${localAuthorityLabel(la)}'s Virtual School: no contact recorded yet, so phone them (the council's website lists it); the DSL is asked to add the contact` };
}

/** A previously looked-after child's Virtual School is the one where the child is educated. */
export function localVirtualSchool(ctx: RuleContext): RoutingStep['contact'] {
  const vs = virtualSchoolFor(ctx.profile, ctx.profile.localAuthority);
  return vs ? { name: vs.name, email: vs.email, phone: vs.phone } : undefined;
}

export function socialWorkerContact(ctx: RuleContext): RoutingStep['contact'] {
  const sw = ctx.pupil.socialWorker;
  return sw ? { name: sw.name, email: sw.email, phone: sw.phone } : { name: "The child's social worker (details not on record: add them)" };
}

/** The local authority's exclusions team, from the school profile (required there, so always an address). */
export function exclusionsContact(ctx: RuleContext): RoutingStep['contact'] {
  const c = ctx.profile.exclusionsContact;
  return { name: c.name, email: c.email, ...(c.phone ? { phone: c.phone } : {}) };
}

export type { Citation };
