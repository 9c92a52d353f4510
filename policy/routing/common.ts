import { LEGAL_BASIS_LABEL } from '../pupil';
import { byPack, makeStep, RuleContext } from './context';
import { RoutingStep, Timing } from './step';

/** Short labels of the statuses in force, for the DSL and DT only. */
export function statusLabels(ctx: Pick<RuleContext, 'flags' | 'pupil'>): string[] {
  const { flags } = ctx;
  const labels: string[] = [];
  if (flags.cla) labels.push(`Looked after: ${LEGAL_BASIS_LABEL[flags.cla.legalBasis]}, placed by ${flags.cla.placingAuthority}`);
  if (flags.cpla) labels.push(`Previously looked after: ${flags.cpla.route === 'adoption' ? 'adopted' : flags.cpla.route === 'SGO' ? 'special guardianship order' : 'child arrangements order'}`);
  if (flags.cwswCurrent) labels.push(`Has a social worker: ${flags.cwswCurrent.plan === 'CP' ? 'Child Protection plan' : 'Child in Need plan'}`);
  if (flags.cwswPast) labels.push(`Had a social worker: ${flags.cwswPast.plan === 'CP' ? 'Child Protection' : 'Child in Need'} plan ended ${flags.cwswPast.endedOn}`);
  if (flags.kinship) labels.push('Kinship care');
  if (ctx.pupil.send !== 'none') labels.push(ctx.pupil.send === 'ehcp' ? 'Education, health and care plan (EHCP)' : 'SEN support');
  return labels;
}

/**
 * Whether the school's policy covers this child. Kinship care is in the Hertfordshire model
 * (Leys, "children ... in Kinship Care") but not in the Cambridgeshire model, whose definitions
 * cover children in care, previously in care and with a social worker only (Offord, Definitions).
 */
export function inScope(ctx: RuleContext): boolean {
  const f = ctx.flags;
  if (f.cla || f.cpla || f.cwswCurrent || f.cwswPast) return true;
  return f.kinship && ctx.pack === 'hertfordshire';
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
      source: byPack(ctx, 'leysReferToDsl', 'offordDslLiaison'),
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
        source: byPack(ctx, 'leysDtCoordinates', 'offordDtLiaison'),
      }),
    );
  }
  return steps;
}

/** A child the policy does not cover still goes to the DSL, who decides. */
export function outOfScopeSteps(ctx: RuleContext): RoutingStep[] {
  return [
    makeStep(ctx, {
      id: 'lead.dsl.outOfScope',
      who: 'DSL',
      owner: 'DSL',
      what:
        'The register shows no status this policy covers (in care, previously in care, a social worker now or in the last six years' +
        (ctx.pack === 'hertfordshire' ? ', kinship care' : '') +
        '). Check the register is right, then follow the school\'s usual procedures.',
      staffWhat: 'The Designated Safeguarding Lead (DSL) is told and decides the next steps.',
      timing: { kind: 'sameDay' },
      rationale: 'No status in force on the register for this policy pack.',
      source: byPack(ctx, 'leysReferToDsl', 'offordDslLiaison'),
    }),
  ];
}
