import { CardAction, CardElement, heading, paragraph } from '../adaptiveCard';
import { choiceInput, formCard, FormCardFrame, textInput } from '../formCard';
import { AdaptiveCard } from '../adaptiveCard';
import { labelledUserText, userText } from '../text';

export const PUPIL_DATASET = 'pupils';
/** The one static choice: Teams needs at least one, and this one means "use the typed name". */
export const NOT_LISTED = 'notListed';
/** Up to this many children are offered as buttons; more become a list (a phone shows a handful of buttons well). */
export const MAX_PUPIL_BUTTONS = 5;

/**
 * Which child? A type-ahead list answered by the bot from the register (Teams sends an
 * `application/search` invoke as the user types), and a plain name box for clients without it.
 */
/**
 * @param before what was answered the last time this question was asked (the teacher pressed Back):
 *   a child on the register is named above the list (Next with nothing new keeps them: the
 *   question reads its earlier answer); a name typed for a child not on the register stays typed.
 *   The list is left empty rather than given the child as its value: a client without the
 *   type-ahead (the Agents Playground) shows a value as its raw id.
 * @param schoolId the school the search is in, carried in the dataset's name: someone on the staff of
 *   two schools of a trust searches the register of the one they chose for this concern.
 */
export function pupilSearchCard(frame: FormCardFrame, before: { chosen?: PupilMatch; typedName?: string } = {}, schoolId?: string): AdaptiveCard {
  const { chosen, typedName } = before;
  const typeahead: CardElement = {
    type: 'Input.ChoiceSet',
    id: 'pupilId',
    label: 'Start typing their name',
    style: 'filtered',
    placeholder: 'First name or surname',
    choices: [{ title: 'Not on the list: I will type their name below', value: NOT_LISTED }],
    'choices.data': { type: 'Data.Query', dataset: schoolId ? `${PUPIL_DATASET}@${schoolId}` : PUPIL_DATASET, count: 15 },
  };
  return formCard(frame, [
    heading('Which child is this about?'),
    // The register's names are shown as text, never as Markdown.
    ...(chosen ? [labelledUserText('Chosen:', chosen.label), paragraph('Press Next to keep them, or choose another child.', { spacing: 'Small' })] : []),
    typeahead,
    textInput('pupilName', 'If no list appears, type their name here', { value: typedName, placeholder: 'For example: Sam Thistlewood', maxLength: 120 }),
    paragraph('Only children on your school\'s register are listed. If the child is not there, type their name anyway: the Designated Safeguarding Lead (DSL) will check.', { isSubtle: true, size: 'Small' }),
  ]);
}

export interface PupilMatch {
  id: string;
  label: string;
}

/**
 * One button per child, each answering the question with that child's id. Only the button's own
 * data is sent (`associatedInputs: none`), so a name left in a box on the same card cannot win over it.
 */
function pupilButtons(questionId: string, matches: readonly PupilMatch[]): CardElement {
  const actions: CardAction[] = matches.map((m) => ({
    type: 'Action.Submit',
    title: m.label,
    data: { verb: 'answer', question: questionId, pupilId: m.id },
    associatedInputs: 'none',
  }));
  return { type: 'ActionSet', actions };
}

/**
 * Several children fit what was typed (or two Sams were named in a sentence): a button for each,
 * or a list when there are more than a phone shows well.
 */
export function pupilChoicesCard(frame: FormCardFrame, typed: string, matches: readonly PupilMatch[]): AdaptiveCard {
  const intro = [heading('Which of these children do you mean?'), paragraph('You typed:', { isSubtle: true, spacing: 'Small' }), userText(typed)];
  if (matches.length <= MAX_PUPIL_BUTTONS) {
    return formCard({ ...frame, submitTitle: 'Search again' }, [
      ...intro,
      pupilButtons(frame.questionId, matches),
      textInput('pupilName', 'None of these? Type the name again', { value: typed, maxLength: 120 }),
    ]);
  }
  return formCard({ ...frame, submitTitle: 'This one' }, [
    ...intro,
    choiceInput('pupilId', 'Children whose names match', matches.map((m) => [m.id, m.label] as const), { expanded: true, required: true }),
    paragraph('None of these? Press Back and try another spelling, or type the full name.', { isSubtle: true, size: 'Small' }),
  ]);
}

/** Nobody on the register has that name, but some are a slip or two from it: "did you mean", or report anyway. */
export function pupilSuggestionsCard(frame: FormCardFrame, typed: string, suggestions: readonly PupilMatch[]): AdaptiveCard {
  return formCard({ ...frame, submitTitle: 'Report anyway' }, [
    heading('Did you mean one of these children?'),
    paragraph('You typed:', { isSubtle: true, spacing: 'Small' }),
    userText(typed),
    pupilButtons(frame.questionId, suggestions.slice(0, MAX_PUPIL_BUTTONS)),
    paragraph('None of these? Type the name again to search, or press "Report anyway" and the Designated Safeguarding Lead (DSL) will identify the child.', { wrap: true }),
    textInput('notOnRegister', 'Name, and anything that helps identify them (class, year group)', { value: typed, required: true, maxLength: 200 }),
  ]);
}

export function pupilNotFoundCard(frame: FormCardFrame, typed: string): AdaptiveCard {
  return formCard({ ...frame, submitTitle: 'Report anyway' }, [
    heading('I could not find that child on the register'),
    paragraph('You typed:', { isSubtle: true, spacing: 'Small' }),
    userText(typed),
    textInput('notOnRegister', 'Name, and anything that helps identify them (class, year group)', { value: typed, required: true, maxLength: 200 }),
    paragraph('Press "Report anyway" and the Designated Safeguarding Lead (DSL) will identify the child and decide what happens. Or type another name to search again.', { wrap: true }),
  ]);
}
