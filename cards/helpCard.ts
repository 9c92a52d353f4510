import { adaptiveCard, AdaptiveCard, facts, heading, paragraph } from './adaptiveCard';

/** What the bot can do and how it treats what you tell it. */
export function helpCard(): AdaptiveCard {
  return adaptiveCard(
    [
      heading('How this works'),
      paragraph(
        'Choose what is worrying you, answer a few short questions, and check the summary. When you confirm, I tell the right people ' +
          'in school straight away. Anything that goes outside school (the Virtual School, a social worker, the local authority) is ' +
          'checked by the Designated Safeguarding Lead (DSL) first.',
      ),
      facts([
        ['attendance', 'raise an attendance or punctuality concern'],
        ['suspension', 'you are worried a child may be suspended'],
        ['new starter', 'a child who is, or was, in care or has a social worker is joining'],
        ['menu', 'show the choices again'],
        ['cancel', 'stop what you are doing (nothing is sent)'],
        ['back', 'go back one question'],
      ]),
      paragraph(
        'You will see who will be told and by when. You will not see a child\'s confidential status: that is shared on a need-to-know basis only. ' +
          'If a child is in immediate danger, follow your child protection procedures and speak to the DSL now.',
        { isSubtle: true },
      ),
    ],
    [{ type: 'Action.Submit', title: 'Back to the menu', data: { verb: 'showMenu' } }],
    { fallbackText: 'Type attendance, suspension, new starter, menu, cancel or back.' },
  );
}
