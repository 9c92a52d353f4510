/**
 * What Teams shows people about the app: its names, descriptions and the bot's command menu.
 * Kept apart from the manifest's wiring so the wording can be reviewed on its own. Lengths are
 * bounded by the manifest schema and by Teams' own limits (checked in appPackage/teamsRules.ts).
 */

export const APP_NAME = {
  /** At most 30 characters, including any APP_NAME_SUFFIX. */
  short: 'Social worker policy',
  full: 'Children with a social worker: policy into action',
} as const;

export const APP_DESCRIPTION = {
  short: 'Raise concerns about children with a social worker and see who must be told.',
  full: [
    "Puts your school's policy for children who have, or have had, a social worker where staff already are.",
    'A teacher messages the app and is walked through a short conversation to raise an attendance concern, a suspension risk or a new admission, or to record a Personal Education Plan (PEP) meeting.',
    "From the child's status (in care, previously in care, on a Child in Need or Child Protection plan, or in kinship care) it works out who must be told, by when and why: the Designated Teacher, the Designated Safeguarding Lead (DSL), the Virtual School, the social worker and carers.",
    'The DSL approves anything that leaves the school, every action is logged, statutory deadlines are tracked with reminders, and the senior leadership team gets a weekly digest. The Dashboard tab shows the Designated Teacher and the DSL what is open and what is overdue.',
    'It is for school staff only: class teachers, support staff, DSLs and their deputies, the Designated Teacher and the senior leadership team. It holds sensitive safeguarding information about children, so your school or trust decides who may install it, and what each person sees depends on their role.',
  ].join('\n\n'),
} as const;

export interface BotCommand {
  /** What the command menu shows and what Teams sends when it is chosen; the bot recognises each. */
  title: string;
  description: string;
}

export const BOT_COMMANDS: readonly BotCommand[] = [
  { title: 'attendance', description: 'Raise an attendance concern' },
  { title: 'suspension', description: 'Raise a suspension risk, or record a suspension' },
  { title: 'new starter', description: 'Record a new admission' },
  { title: 'pep', description: 'Record a PEP meeting (Designated Teacher)' },
  { title: 'help', description: 'What this app can do, and how to use it' },
];
