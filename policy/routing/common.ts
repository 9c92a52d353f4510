import { formatDate } from '../dates';
import { localAuthorityLabel } from '../localAuthorities';
import { LEGAL_BASIS_LABEL } from '../pupil';
import { hadSocialWorker } from '../scope';
import { cite, makeStep, RuleContext } from './context';
import { RoutingStep, Timing } from './step';

const PLAN_LABEL = { CIN: 'Child in Need plan', CP: 'Child Protection plan', assessment: 'assessed under section 17 (no plan yet)' } as const;

/** Short labels of the statuses in force, for the DSL and DT only. */
export function statusLabels(ctx: Pick<RuleContext, 'flags' | 'pupil' | 'policy'>): string[] {
  const { flags } = ctx;
  // A new starter's status is what a member of staff said: the DSL checks it against the records.
  const labels: string[] = ctx.pupil.statusReported ? ['Not on the register yet: the status below is as reported when the admission was raised'] : [];
  if (flags.cla) labels.push(`Looked after: ${LEGAL_BASIS_LABEL[flags.cla.legalBasis]}, placed by ${localAuthorityLabel(flags.cla.placingAuthority)}`);
  if (flags.cpla) labels.push(`Previously looked after: ${flags.cpla.route === 'adoption' ? 'adopted' : flags.cpla.route === 'SGO' ? 'special guardianship order' : 'child arrangements order'}`);
  if (flags.cwswCurrent) labels.push(`Has a social worker: ${PLAN_LABEL[flags.cwswCurrent.plan]}`);
  const past = flags.cwswPast ?? flags.cwswEnded;
  if (past && hadSocialWorker(ctx.policy, flags)) labels.push(`Had a social worker: ${PLAN_LABEL[past.plan]} ended ${formatDate(past.endedOn!)}`);
  if (flags.kinship && ctx.policy.has('scope.kinship')) labels.push('Kinship care');
  if (ctx.pupil.send !== 'none') labels.push(ctx.pupil.send === 'ehcp' ? 'Education, health and care plan (EHCP)' : 'SEN support');
  return labels;
}

/** The DSL always hears about a concern; the DT too for a care-experienced child. */
export function leadSteps(ctx: RuleContext, timing: Timing, what: string): RoutingStep[] {
  const steps = [
    makeStep(ctx, {
      id: 'lead.dsl',
      who: 'DSL',
      owner: 'DSL',
      what,
      staffWhat: 'The Designated Safeguarding Lead (DSL) is told and decides the next steps.',
      timing,
      rationale: 'The DSL leads for every child who has, or has had, a social worker.',
      ...cite(ctx, 'lead.referForAdvice', 'dslLeads'),
    }),
  ];
  if (ctx.flags.careExperienced) {
    steps.push(
      makeStep(ctx, {
        id: 'lead.dt',
        who: 'DT',
        owner: 'DT',
        what: `${what} The Designated Teacher co-ordinates with the Virtual School for a care-experienced child.`,
        staffWhat: 'The Designated Teacher (DT) is told.',
        timing,
        rationale: 'The child is care experienced (looked after or previously looked after): the Designated Teacher leads.',
        ...cite(ctx, undefined, 'dtLeads'),
      }),
    );
  }
  return steps;
}

/** A child the school's policy does not cover still goes to the DSL, who decides. */
export function outOfScopeSteps(ctx: RuleContext): RoutingStep[] {
  const covered = [
    'in care',
    'previously in care',
    'with a social worker now',
    ...(ctx.policy.has('scope.hadSocialWorkerEver') ? ['who have had a social worker'] : ctx.policy.has('scope.hadSocialWorkerSixYears') ? ['who had a social worker in the last six years'] : []),
    ...(ctx.policy.has('scope.kinship') ? ['in kinship care'] : []),
  ];
  return [
    makeStep(ctx, {
      id: 'lead.dsl.outOfScope',
      who: 'DSL',
      owner: 'DSL',
      what: `The register shows no status the school's policy covers (children ${covered.join(', ')}). Check the register is right, then follow the school's usual procedures.`,
      staffWhat: 'The Designated Safeguarding Lead (DSL) is told and decides the next steps.',
      timing: { kind: 'sameDay' },
      rationale: "No status in force on the register that the school's policy covers.",
      ...cite(ctx, 'lead.referForAdvice', 'dslLeads'),
    }),
  ];
}
