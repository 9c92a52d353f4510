import { adaptiveCard, AdaptiveCard, CardAction, heading, paragraph } from './adaptiveCard';
import { DialogKind, MenuPayload } from './verbs';

export interface WelcomeCardInput {
  /** The school the user belongs to, if known. */
  schoolName?: string;
  /** Shown in local mode: everything the user sees is made up. */
  demo: boolean;
  /** Guided dialogs that are ready; the others say they are coming. */
  available: readonly DialogKind[];
}

export const DIALOG_TITLES: Record<DialogKind, string> = {
  attendance: 'Attendance concern',
  suspension: 'Worried a child may be suspended',
  admission: 'A child is joining us',
  pep: 'Record a PEP meeting',
};

const DIALOG_HINTS: Record<DialogKind, string> = {
  attendance: 'missed sessions, lateness, an absence nobody has explained',
  suspension: 'behaviour that might lead to a suspension, or one already decided',
  admission: 'a new starter who is in care, was in care, or has a social worker',
  pep: 'a personal education plan (PEP) meeting for a child in care has taken place',
};

const KINDS: readonly DialogKind[] = ['attendance', 'suspension', 'admission', 'pep'];

function submit(title: string, data: MenuPayload): CardAction {
  return { type: 'Action.Submit', title, data };
}

/** The first thing staff see, and what `help` or `menu` brings back. */
export function welcomeCard(input: WelcomeCardInput): AdaptiveCard {
  const body = [
    heading(input.schoolName ? `Children with a social worker: ${input.schoolName}` : 'Children with a social worker', 'Large'),
    paragraph(
      'I help you act on the school\'s policy for children who have, or have had, a social worker. ' +
        'Tell me what is worrying you and I will work out who needs to know, by when, and send it to them.',
    ),
    paragraph('What would you like to do?', { weight: 'Bolder', spacing: 'Medium' }),
    ...KINDS.filter((kind) => kind !== 'pep' || input.available.includes('pep')).map((kind) =>
      paragraph(`**${DIALOG_TITLES[kind]}**: ${DIALOG_HINTS[kind]}${input.available.includes(kind) ? '' : ' _(coming soon)_'}`, { spacing: 'Small' }),
    ),
    paragraph('You can also just type, for example "attendance", "suspension" or "new starter". Type "help" at any time.', {
      isSubtle: true,
      spacing: 'Medium',
    }),
    ...(input.demo
      ? [paragraph('Demo school: every child and member of staff here is made up. Never enter real children\'s details.', { color: 'Attention', size: 'Small' })]
      : []),
  ];
  const actions: CardAction[] = [
    ...KINDS.filter((kind) => kind !== 'pep' || input.available.includes('pep')).map((kind) => submit(DIALOG_TITLES[kind], { verb: 'startDialog', dialog: kind })),
    submit('Help', { verb: 'showHelp' }),
  ];
  return adaptiveCard(body, actions, { fallbackText: 'Children with a social worker: type attendance, suspension or new starter to begin.' });
}
