import { caseSummaryRows } from '../../cards/caseSummary';
import { confirmCard } from '../../cards/planCards';
import { CaseAnswers } from '../../policy/cases';
import { CaseSubject } from '../../policy/caseRecord';
import { planByPerson } from '../../policy/stepOwners';
import { planViewFor } from '../../policy/views';
import { Answers, FormContext } from '../form/formContext';
import { Question } from '../form/question';
import { pupilOf } from './pupilQuestion';

const YES = /^(send|send it|yes|y|confirm|ok|okay|go|submit)[.!]*$/i;

/** The last step: the summary and the plan in the reader's view; Send saves it. */
/** `subjectLabel`: who the case is about, as the card names them (a new starter is not on the register yet). */
export function confirmQuestion(
  toCase: (answers: Answers, ctx: FormContext) => { subject: CaseSubject; answers: CaseAnswers },
  subjectLabel: (answers: Answers) => string = (answers) => pupilOf(answers).label,
): Question {
  return {
    id: 'confirm',
    help: 'Check the summary. Press Send to save it and tell the people listed, Back to change an answer, or Cancel to stop without saving.',
    ask: async ({ ctx, answers, frame, services }) => {
      const built = toCase(answers, ctx);
      const [plan, staff] = await Promise.all([
        services.previewPlan({ schoolId: ctx.schoolId, subject: built.subject, answers: built.answers, raisedBy: ctx.user, draftId: ctx.draftId }),
        services.schoolStaff(ctx.schoolId),
      ]);
      const view = planViewFor(ctx.roles, plan);
      if (!view) throw new Error('a member of staff without a role reached the confirmation');
      return confirmCard(frame, subjectLabel(answers), caseSummaryRows(built.answers), view, planByPerson(plan, { staff }, ctx.user, ctx.user.aadObjectId));
    },
    // A case the law does not allow as it stands (a suspension past the 45-day limit) is refused by
    // saving itself (CaseBlockedError), which brings the confirmation back with the reason.
    parse: (reply) => {
      if (reply.value?.verb === 'answer') return { ok: true, value: 'send' };
      if (reply.text && YES.test(reply.text.trim())) return { ok: true, value: 'send' };
      return { ok: false, message: 'Nothing has been sent yet. Press Send (or type "send") to send it, "back" to change something, or "cancel" to stop.' };
    },
  };
}
