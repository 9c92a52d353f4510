import { routingPlan } from '../../policy/routingPlan';
import { planViewFor, sltSummary, staffView } from '../../policy/views';
import { CLA, CPLA, MONDAY, profile, pupil } from './fixtures';

const plan = () =>
  routingPlan('suspension', { caseType: 'suspension', stage: 'atRisk', whatHappened: 'x' }, pupil([CLA], { send: 'ehcp' }), profile('leys'), MONDAY);

describe('need-to-know views of a plan', () => {
  it('a member of staff sees who is told and by when, in plain words, and not why', () => {
    const view = planViewFor(['teacher'], plan());
    expect(view?.view).toBe('staff');
    const steps = staffView(plan()).steps;
    expect(steps.find((s) => s.who === 'Virtual School')).toEqual({
      who: 'Virtual School',
      owner: 'DT',
      what: 'The Virtual School is contacted before any decision.',
      when: 'before any decision',
      deadline: MONDAY,
    });
    expect(JSON.stringify(view)).not.toMatch(/ESSEX|looked after|care order|EHCP|rationale|"contact"/i);
  });

  it('the DSL, deputy, DT and headteacher see the rationale, the status and the citation', () => {
    for (const role of ['DSL', 'deputyDSL', 'DT', 'headteacher'] as const) {
      const view = planViewFor(['teacher', role], plan());
      if (view?.view !== 'lead') throw new Error(`expected the lead view for ${role}`);
      expect(view.statusLabels).toContain('Looked after: section 31 (care order), placed by Essex (881)');
      const vs = view.steps.find((s) => s.id === 'suspension.cla.virtualSchoolBeforeDecision')!;
      expect(vs.rationale).toMatch(/placed by Essex \(881\)/);
      expect(vs.citation).toBe('The Leys Primary & Nursery School, Policy for All Children with a Social Worker (January 2025), "Suspensions and Exclusion"');
      expect(vs.contact?.email).toBe('virtualschool@essex-vs.example.org');
    }
  });

  it('someone with no role sees nothing', () => {
    expect(planViewFor([], plan())).toBeUndefined();
  });

  it('the SLT summary is counts only', () => {
    const other = routingPlan('admission', { caseType: 'admission', startDate: '2026-12-01' }, pupil([CPLA]), profile('leys'), MONDAY);
    const summary = sltSummary([plan(), other]);
    expect(summary.cases).toBe(2);
    expect(summary.byCaseType).toEqual({ attendance: 0, suspension: 1, admission: 1 });
    expect(summary.awaitingApproval).toBe(plan().steps.filter((s) => s.needsApprovalBy).length + other.steps.filter((s) => s.needsApprovalBy).length);
    expect(Object.keys(summary).sort()).toEqual(['awaitingApproval', 'byCaseType', 'cases', 'differentInterventionFlags', 'safeguardingFlags', 'statutoryLimitFlags', 'stepsByRecipient']);
  });
});

describe('deadline wording', () => {
  it('reads like a person wrote it', () => {
    const steps = staffView(plan()).steps;
    expect(steps.find((s) => s.what.startsWith('The parents or carers are involved'))?.when).toBe('promptly, by Tue 24 Nov 2026');
    expect(steps.find((s) => s.who.startsWith('Designated Safeguarding'))?.when).toBe('today');
  });
});
