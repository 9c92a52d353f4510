import { adaptiveCard, AdaptiveCard, CardAction, CardElement, paragraph } from './adaptiveCard';
import { userText } from './text';
import { FormPayload } from './verbs';

export interface FormCardFrame {
  /** e.g. "Attendance concern". */
  title: string;
  /** The question id the answer belongs to: a click on an older card is recognised as such. */
  questionId: string;
  /** "Step 2 of 3". */
  step: number;
  total: number;
  /** Shown in red above the inputs when the previous answer needs fixing. */
  error?: string;
  submitTitle?: string;
  /** The first question has nothing to go back to. */
  canGoBack: boolean;
  /** Extra typed fields on the Next button's payload (the confirm card's draft id). */
  submitData?: Record<string, string>;
  /** Who the dialog is about, once chosen, so the teacher can see the right child was found. */
  about?: string;
}

function submit(title: string, data: FormPayload, validate: boolean, style?: 'positive'): CardAction {
  return {
    type: 'Action.Submit',
    title,
    data,
    // Back and Cancel must work even when a required input is empty.
    ...(validate ? {} : { associatedInputs: 'none' }),
    ...(style ? { style } : {}),
  };
}

/** The shared frame of every guided-dialog card: title, progress, error, inputs, Next/Back/Cancel. */
export function formCard(frame: FormCardFrame, body: CardElement[]): AdaptiveCard {
  const actions: CardAction[] = [submit(frame.submitTitle ?? 'Next', { ...frame.submitData, verb: 'answer', question: frame.questionId }, true, 'positive')];
  if (frame.canGoBack) actions.push(submit('Back', { verb: 'back', question: frame.questionId }, false));
  actions.push(submit('Cancel', { verb: 'cancel', question: frame.questionId }, false));
  return adaptiveCard(
    [
      paragraph(`${frame.title}: step ${frame.step} of ${frame.total}`, { isSubtle: true, size: 'Small', spacing: 'None' }),
      ...(frame.about ? [userText(`About: ${frame.about}`, { spacing: 'None' })] : []),
      ...(frame.error ? [paragraph(frame.error, { color: 'Attention', weight: 'Bolder' })] : []),
      ...body,
    ],
    actions,
    { fallbackText: `${frame.title}: please answer in Teams, or type cancel to stop.` },
  );
}

/** Typed inputs, so the question builders stay readable. */
export function textInput(id: string, label: string, o: { value?: string; placeholder?: string; multiline?: boolean; required?: boolean; maxLength?: number; errorMessage?: string } = {}): CardElement {
  return {
    type: 'Input.Text',
    id,
    label,
    ...(o.value ? { value: o.value } : {}),
    ...(o.placeholder ? { placeholder: o.placeholder } : {}),
    ...(o.multiline ? { isMultiline: true } : {}),
    ...(o.required ? { isRequired: true, errorMessage: o.errorMessage ?? `${label.replace(/\?$/, '')} is needed` } : {}),
    maxLength: o.maxLength ?? 500,
  };
}

export function numberInput(id: string, label: string, o: { value?: number; min?: number; max?: number; placeholder?: string } = {}): CardElement {
  return {
    type: 'Input.Number',
    id,
    label,
    ...(o.value !== undefined ? { value: o.value } : {}),
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
    ...(o.placeholder ? { placeholder: o.placeholder } : {}),
  };
}

export function dateInput(id: string, label: string, o: { value?: string; required?: boolean } = {}): CardElement {
  return {
    type: 'Input.Date',
    id,
    label,
    ...(o.value ? { value: o.value } : {}),
    ...(o.required ? { isRequired: true, errorMessage: `${label} is needed` } : {}),
  };
}

export function choiceInput(
  id: string,
  label: string,
  choices: ReadonlyArray<readonly [value: string, title: string]>,
  o: { value?: string | string[]; multi?: boolean; expanded?: boolean; required?: boolean } = {},
): CardElement {
  const value = Array.isArray(o.value) ? o.value.join(',') : o.value;
  return {
    type: 'Input.ChoiceSet',
    id,
    label,
    choices: choices.map(([v, title]) => ({ title, value: v })),
    ...(o.multi ? { isMultiSelect: true } : {}),
    style: o.expanded || o.multi ? 'expanded' : 'compact',
    ...(value ? { value } : {}),
    ...(o.required ? { isRequired: true, errorMessage: `Please choose: ${label}` } : {}),
  };
}

export function toggleInput(id: string, title: string, value: boolean | undefined): CardElement {
  return { type: 'Input.Toggle', id, title, valueOn: 'true', valueOff: 'false', value: value ? 'true' : 'false' };
}

/**
 * A tick box that confirms one particular date: its value is the date itself, so changing the date
 * after ticking it confirms nothing.
 */
export function confirmDateInput(date: string, label: string): CardElement {
  return { type: 'Input.Toggle', id: 'confirmDate', title: label, valueOn: date, valueOff: '', value: '' };
}

/**
 * What a form card becomes once answered: its buttons gone (pressing an old Send or Next again
 * would only confuse), with the step and what came of it, so the chat history still reads well.
 */
export function usedFormCard(title: string, step: number, total: number, outcome: string): AdaptiveCard {
  return adaptiveCard([paragraph(`${title}: step ${step} of ${total}`, { isSubtle: true, size: 'Small', spacing: 'None' }), userText(`✓ ${outcome}`, { spacing: 'Small' })], [], { fallbackText: `${title}: ${outcome}` });
}
