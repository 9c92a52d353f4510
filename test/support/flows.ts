import { draftIdOf, Harness, lastCard, StaffKey } from './botHarness';

/** A teacher raises a worry about a suspension for a demo child in care (Kai, placed by Essex). Returns the case id. */
export async function raiseSuspensionRisk(h: Harness, pupilId = 'demo-p02', as: StaffKey = 'teacher'): Promise<string> {
  await h.say('suspension', as);
  await h.say({ verb: 'answer', question: 'pupil', pupilId, pupilName: '' }, as);
  await h.say('He pushed a chair over after a change of carer; another pupil, Jamie Example, was upset.', as);
  await h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' }, as);
  const confirm = lastCard(await h.say('no', as));
  const draftId = draftIdOf(confirm);
  await h.say({ verb: 'answer', question: 'confirm', draftId }, as);
  const saved = await h.parts.cases.findByDraft('oakfield-demo', draftId!);
  if (!saved) throw new Error('the case was not saved');
  return saved.caseId;
}

/** An Action.Execute invoke from an approval card. Returns the invoke response body. */
export async function act(h: Harness, verb: string, data: Record<string, unknown>, as: StaffKey): Promise<{ statusCode?: number; type?: string; value?: unknown }> {
  const body = await h.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, as);
  return body as { statusCode?: number; type?: string; value?: unknown };
}

/** The DT records a suspension the headteacher has decided (Kai, in care, placed by Essex; the VS and social worker consulted). Returns the case id. */
export async function recordDecidedSuspension(h: Harness, days = 2, pupilId = 'demo-p02'): Promise<string> {
  await h.say('suspension', 'dt');
  await h.say({ verb: 'answer', question: 'pupil', pupilId, pupilName: '' }, 'dt');
  await h.say('He threw a chair at a member of staff.', 'dt');
  await h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' }, 'dt');
  await h.say('yes', 'dt');
  await h.say({ verb: 'answer', question: 'decision', kind: 'suspension', startDate: '2026-11-24', days: String(days) }, 'dt');
  const confirm = lastCard(await h.say({ verb: 'answer', question: 'consulted', consulted: 'virtualSchool,socialWorker' }, 'dt'));
  const draftId = draftIdOf(confirm);
  await h.say({ verb: 'answer', question: 'confirm', draftId }, 'dt');
  const saved = await h.parts.cases.findByDraft('oakfield-demo', draftId!);
  if (!saved) throw new Error('the case was not saved');
  return saved.caseId;
}
