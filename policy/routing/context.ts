import { SchoolCalendar } from '../calendar';
import { compareDates, IsoDate } from '../dates';
import { CohortFlags, Pupil } from '../pupil';
import { SchoolProfile, virtualSchoolFor } from '../schoolProfile';
import { SourceKey } from '../sources';
import { EXTERNAL_RECIPIENTS, RoutingStep, Timing } from './step';

export interface RuleContext {
  pupil: Pupil;
  flags: CohortFlags;
  profile: SchoolProfile;
  calendar: SchoolCalendar;
  today: IsoDate;
  pack: SchoolProfile['pack'];
  /** Is a social worker allocated now (child in care, or on a current CiN or CP plan)? */
  hasSocialWorkerNow: boolean;
}

export interface StepInput extends Omit<RoutingStep, 'deadline' | 'late' | 'needsApprovalBy' | 'timing' | 'source'> {
  timing: Timing;
  source: SourceKey;
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
    ...(external && ctx.profile.externalStepsNeedApproval ? { needsApprovalBy: 'DSL' as const } : {}),
  };
}

/** A looked-after child's Virtual School is the placing authority's (docs/DOMAIN.md, "Cohort status"). */
export function placingVirtualSchool(ctx: RuleContext): RoutingStep['contact'] {
  const la = ctx.flags.cla?.placingAuthority ?? ctx.profile.localAuthority;
  const vs = virtualSchoolFor(ctx.profile, la);
  return vs ? { name: vs.name, email: vs.email, phone: vs.phone } : { name: `Virtual School for ${la} (not in the directory: add it to the school profile)` };
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

/** Picks the seed to cite: the pack's own policy where they differ. */
export function byPack<T>(ctx: Pick<RuleContext, 'pack'>, hertfordshire: T, cambridgeshire: T): T {
  return ctx.pack === 'hertfordshire' ? hertfordshire : cambridgeshire;
}
