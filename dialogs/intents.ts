import { DialogKind } from '../cards/verbs';

export type Intent = { kind: 'start'; dialog: DialogKind } | { kind: 'help' } | { kind: 'menu' } | { kind: 'cancel' } | { kind: 'back' } | { kind: 'unknown' };

/** Words that only ever mean a command, at the start of what was typed. */
const COMMANDS: ReadonlyArray<readonly [RegExp, Intent]> = [
  [/^(help|\?|what can you do)\b/, { kind: 'help' }],
  [/^(cancel|stop|quit|exit|never ?mind)\b/, { kind: 'cancel' }],
  [/^(back|go back|previous)\b/, { kind: 'back' }],
];

/** What the worry is about, anywhere in a sentence ("I am worried Sam might get excluded"). */
const WORRIES: ReadonlyArray<readonly [RegExp, Intent]> = [
  [/\b(peps?|personal education plan)\b/, { kind: 'start', dialog: 'pep' }],
  [/\b(suspen\w*|exclu\w*|sent home)\b/, { kind: 'start', dialog: 'suspension' }],
  [/\b(attend\w*|absen\w*|absent|late(ness)?|punctual\w*|truan\w*|missing school|not in school|off school)\b/, { kind: 'start', dialog: 'attendance' }],
  [/\b(new (starter|admission|pupil|child|arrival)|admission|admit\w*|joining|transfer\w* in|starting (with|at) us)\b/, { kind: 'start', dialog: 'admission' }],
];

/** A greeting or "menu" on its own shows the menu; "Hi, Leo's attendance is dropping" is about attendance. */
const GREETING = /^(menu|start|hi|hello|hey|good (morning|afternoon))\b/;

/**
 * Works out what someone typed they want. Deliberately a few plain keyword rules: staff type
 * "worried about Sam's attendance" or "new starter", and a wrong guess costs one "cancel".
 */
export function recogniseIntent(text: string): Intent {
  const t = text.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim();
  if (!t) return { kind: 'unknown' };
  for (const [pattern, intent] of COMMANDS) if (pattern.test(t)) return intent;
  for (const [pattern, intent] of WORRIES) if (pattern.test(t)) return intent;
  if (GREETING.test(t)) return { kind: 'menu' };
  return { kind: 'unknown' };
}
