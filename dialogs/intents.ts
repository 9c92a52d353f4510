import { DialogKind } from '../cards/verbs';

export type Intent = { kind: 'start'; dialog: DialogKind } | { kind: 'help' } | { kind: 'menu' } | { kind: 'cancel' } | { kind: 'back' } | { kind: 'unknown' };

const PATTERNS: ReadonlyArray<readonly [RegExp, Intent]> = [
  [/^(help|\?|what can you do)\b/, { kind: 'help' }],
  [/^(menu|start|hi|hello|hey|good (morning|afternoon))\b/, { kind: 'menu' }],
  [/^(cancel|stop|quit|exit|never ?mind)\b/, { kind: 'cancel' }],
  [/^(back|go back|previous)\b/, { kind: 'back' }],
  [/\b(peps?|personal education plan)\b/, { kind: 'start', dialog: 'pep' }],
  [/\b(suspen\w*|exclu\w*|sent home)\b/, { kind: 'start', dialog: 'suspension' }],
  [/\b(attend\w*|absen\w*|absent|late(ness)?|punctual\w*|truan\w*|missing school|not in school)\b/, { kind: 'start', dialog: 'attendance' }],
  [/\b(new (starter|admission|pupil|child|arrival)|admission|admit\w*|joining|transfer\w* in|starting (with|at) us)\b/, { kind: 'start', dialog: 'admission' }],
];

/**
 * Works out what someone typed they want. Deliberately a few plain keyword rules: staff type
 * "worried about Sam's attendance" or "new starter", and a wrong guess costs one "cancel".
 */
export function recogniseIntent(text: string): Intent {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (!t) return { kind: 'unknown' };
  for (const [pattern, intent] of PATTERNS) if (pattern.test(t)) return intent;
  return { kind: 'unknown' };
}
