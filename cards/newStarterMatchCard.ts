import { AdaptiveCard, CardAction, CardElement, paragraph } from './adaptiveCard';
import { choiceInput, textInput } from './formCard';
import { NOT_LISTED, PUPIL_DATASET } from './questions/pupilCards';
import { userText } from './text';

/** The Universal Action that matches a new starter to a pupil on the register (handled in bot/actions/matchNewStarter.ts). */
export const MATCH_NEW_STARTER_VERB = 'matchNewStarter';

export interface MatchCandidate {
  id: string;
  /** "Jordan Notonroll (Year 3)". */
  label: string;
  /** Same name and date of birth as reported: chosen already, for the lead to confirm. */
  certain?: boolean;
}

export type NewStarterMatchState =
  | {
      state: 'unmatched';
      caseId: string;
      schoolId: string;
      /** What was reported, to recognise them by: "Jordan Notonroll, Year 3, born 4 Mar 2019". */
      reported: string;
      /** Pupils on the register not yet matched to an admission, likeliest first; may be empty. */
      candidates: readonly MatchCandidate[];
      /** Why the last try did not match (shown above the button). */
      error?: string;
    }
  | { state: 'matched'; label: string; by: string; at: string };

/**
 * The part of a lead's card about a new starter: until they are matched, a button that opens a
 * choice of the pupils they might be (type-ahead over the register where Teams offers it, and a
 * name box where it does not); afterwards, who matched them and when.
 */
export function newStarterMatchParts(s: NewStarterMatchState): { body: CardElement[]; actions: CardAction[] } {
  if (s.state === 'matched') {
    return {
      body: [paragraph('Matched to the register', { color: 'Good', weight: 'Bolder', spacing: 'Medium' }), userText(`${s.label}: matched by ${s.by} at ${s.at}`, { spacing: 'None' })],
      actions: [],
    };
  }
  const body: CardElement[] = [
    paragraph('Not on the register yet', { weight: 'Bolder', spacing: 'Medium' }),
    paragraph('Once the child is on the register, match them to it here: their record, chronology and deadlines then follow them.', { isSubtle: true, spacing: 'None' }),
    userText(`Reported as: ${s.reported}`, { spacing: 'Small' }),
    ...(s.error ? [paragraph(s.error, { color: 'Attention', weight: 'Bolder' })] : []),
  ];
  const choices: Array<readonly [string, string]> =
    s.candidates.length > 0 ? s.candidates.map((c) => [c.id, c.label] as const) : [[NOT_LISTED, 'No likely match on the register yet: search, or type the name below']];
  const certain = s.candidates.filter((c) => c.certain);
  const picker: CardElement = {
    ...choiceInput('matchPupilId', 'The child on the register', choices, certain.length === 1 ? { value: certain[0]!.id } : {}),
    style: 'filtered',
    placeholder: 'Start typing their name',
    'choices.data': { type: 'Data.Query', dataset: `${PUPIL_DATASET}@${s.schoolId}`, count: 15 },
  };
  const action: CardAction = {
    type: 'Action.ShowCard',
    title: 'Match to the register',
    card: {
      type: 'AdaptiveCard',
      body: [
        picker,
        textInput('matchPupilName', 'If no list appears, type their name', { maxLength: 120, placeholder: 'First name and surname' }),
        paragraph('Only children on our register are listed. The match is recorded in the case’s audit trail.', { isSubtle: true, size: 'Small' }),
      ],
      actions: [{ type: 'Action.Execute', title: 'Match', verb: MATCH_NEW_STARTER_VERB, data: { caseId: s.caseId, school: s.schoolId }, style: 'positive' }],
    },
  };
  return { body, actions: [action] };
}

/** A lead's card with the new-starter part added at the end (before any buttons of its own stay first). */
export function withNewStarterMatch(card: AdaptiveCard, s: NewStarterMatchState): AdaptiveCard {
  const parts = newStarterMatchParts(s);
  const actions = [...(card.actions ?? []), ...parts.actions];
  return { ...card, body: [...card.body, ...parts.body], ...(actions.length > 0 ? { actions } : {}) };
}
