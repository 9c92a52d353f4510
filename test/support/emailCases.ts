import { demoPupils, demoSchool, DEMO_STAFF } from '../../demo/demoSchool';
import { decide, DecisionRequest } from '../../policy/approval';
import { ApprovalDecision, CaseRecord, CaseSubject, ExternalNotification, externalNotifications } from '../../policy/caseRecord';
import { CaseAnswersInput, caseAnswersSchema } from '../../policy/cases';
import { IsoDate, isoDate } from '../../policy/dates';
import { composeEmail, OutgoingEmail } from '../../policy/email';
import { RoutedChild } from '../../policy/newStarter';
import { Pupil, pupilSchema } from '../../policy/pupil';
import { PolicyProfileId } from '../../policy/profiles';
import { routingPlan } from '../../policy/routingPlan';
import { loadSchoolProfile, SchoolProfile, SchoolProfileInput } from '../../policy/schoolProfile';

/**
 * SYNTHETIC cases for the email tests: the demo school's made-up children, routed by the real
 * policy engine and decided by the real approval rules, so an email is composed from exactly what
 * the product would store.
 */

/** Monday 23 November 2026, 09:00 in London (GMT): when the concern is raised. */
export const RAISED_AT = new Date('2026-11-23T09:00:00Z');
export const RAISED_ON: IsoDate = isoDate('2026-11-23');

export function demoProfile(policy: PolicyProfileId = 'leys', overrides: Partial<SchoolProfileInput> = {}): SchoolProfile {
  return loadSchoolProfile({ ...demoSchool, policy: { profile: policy }, ...overrides });
}

export function demoPupil(id: string): Pupil {
  const found = demoPupils.find((p) => p.id === id);
  if (!found) throw new Error(`no demo pupil ${id}`);
  return pupilSchema.parse(found);
}

export interface EmailCase {
  record: CaseRecord;
  pupil: Pupil | undefined;
  profile: SchoolProfile;
  emails: ExternalNotification[];
}

/** A case raised by the demo class teacher, as the case service would save it. */
export function raisedCase(o: { answers: CaseAnswersInput; pupil?: Pupil; subject?: CaseSubject; profile?: SchoolProfile; ref?: string; today?: IsoDate; routeAs?: RoutedChild }): EmailCase {
  const profile = o.profile ?? demoProfile();
  const answers = caseAnswersSchema.parse(o.answers);
  const today = o.today ?? RAISED_ON;
  const plan = routingPlan(answers.caseType, answers, o.routeAs ?? o.pupil ?? null, profile, today);
  const id = 'case-0001';
  const record: CaseRecord = {
    id,
    ref: o.ref ?? 'ATT-7K2QX',
    schoolId: profile.id,
    caseType: answers.caseType,
    subject: o.subject ?? (o.pupil ? { kind: 'onRegister', pupilId: o.pupil.id } : { kind: 'notOnRegister', description: 'A girl in Year 3 (synthetic)' }),
    answers,
    plan,
    raisedBy: DEMO_STAFF.teacher,
    raisedAt: RAISED_AT.toISOString(),
    raisedOn: today,
    status: 'open',
    draftId: 'draft-0001',
    approval: { required: plan.steps.some((s) => s.needsApprovalBy) },
  };
  return { record, pupil: o.pupil, profile, emails: externalNotifications(id, plan) };
}

/** The case after a DSL's decision at `at` (the real approval rules: duties kept, reasons required). */
export function decided(c: EmailCase, request: DecisionRequest, at: Date, by: keyof typeof DEMO_STAFF = 'dsl'): EmailCase & { decision: ApprovalDecision } {
  const roles = c.profile.staff.find((s) => s.aadObjectId === DEMO_STAFF[by].aadObjectId)?.roles ?? [];
  const outcome = decide(c.record, c.emails, request, DEMO_STAFF[by], roles, at);
  if (!outcome.ok) throw new Error(`the decision was refused: ${outcome.problem}`);
  return { ...c, record: { ...c.record, approval: { ...c.record.approval, decision: outcome.decision } }, decision: outcome.decision };
}

/** The email to one recipient of a decided case. */
export function emailTo(c: EmailCase, address: string): OutgoingEmail {
  const n = c.emails.find((e) => e.to.email === address);
  if (!n) throw new Error(`no email to ${address}: ${c.emails.map((e) => e.to.email ?? e.to.name).join(', ')}`);
  return composeEmail(n, c.record, c.pupil, c.profile, c.record.approval.decision);
}
