import { z } from 'zod';
import { adaptiveCard, AdaptiveCard, CardAction, CardElement, heading, paragraph } from './adaptiveCard';
import { labelledUserText } from './text';
import { DialogKind } from './verbs';
import { DIALOG_TITLES } from './welcomeCard';

/** Buttons (Universal Actions) that change a school's settings; bot/settingsActions.ts handles each. */
export const SETTINGS_VERBS = ['setDigestChannel', 'setStaffTeam', 'confirmRoleChange', 'cancelRoleChange', 'saveVirtualSchool'] as const;
export type SettingsVerb = (typeof SETTINGS_VERBS)[number];

const schoolId = z.string().regex(/^[a-z0-9-]{2,40}$/);
export const settingsPayloads = {
  setDigestChannel: z.object({ school: schoolId }).loose(),
  setStaffTeam: z.object({ school: schoolId }).loose(),
  confirmRoleChange: z.object({ school: schoolId, role: z.string().max(20), person: z.string().min(1).max(64), give: z.boolean() }).loose(),
  cancelRoleChange: z.object({}).loose(),
  saveVirtualSchool: z
    .object({
      school: schoolId,
      localAuthority: z.string().min(2).max(40),
      vsName: z.string().trim().min(1, 'the Virtual School\'s name').max(120),
      vsEmail: z.email('an email address').max(254),
      vsPhone: z.string().trim().max(40).optional(),
    })
    .loose(),
} satisfies Record<SettingsVerb, z.ZodType>;

function execute(title: string, verb: SettingsVerb, data: Record<string, unknown>, style?: 'positive' | 'destructive'): CardAction {
  return { type: 'Action.Execute', title, verb, data, ...(style ? { style } : {}) };
}

export interface TeamSetupInput {
  teamName?: string;
  /** The schools of this tenant the person pressing might lead; one is chosen when there are several. */
  schools: ReadonlyArray<{ id: string; name: string }>;
  /** What has been set here already, and by whom (unknown when it was chosen before). */
  done?: { digest?: { school: string; by?: string }; staffTeam?: { school: string; by?: string } };
  /** Why the last press did nothing (not a lead of that school). */
  refusal?: string;
}

/**
 * What the app posts when it is added to a team: nothing for staff to act on, only two choices for
 * a school's DSL or headteacher. Concern buttons never appear in a channel: concerns are raised in a
 * personal chat, where nobody else reads them.
 */
export function teamSetupCard(input: TeamSetupInput): AdaptiveCard {
  const where = input.teamName ? `the team ${input.teamName}` : 'this team';
  const body: CardElement[] = [
    heading('Set up the safeguarding assistant'),
    paragraph(
      `I have been added to ${where}. I never discuss children here: staff raise concerns with me in a personal chat. ` +
        'A school\'s DSL or headteacher can use this channel for the weekly leadership digest, or use this team\'s members as the school\'s staff list.',
    ),
  ];
  const by = (who: string | undefined) => (who ? ` (chosen by ${who})` : '');
  if (input.done?.digest) body.push(paragraph(`✔ The weekly digest for ${input.done.digest.school} is posted in this channel${by(input.done.digest.by)}.`, { color: 'Good' }));
  if (input.done?.staffTeam) body.push(paragraph(`✔ The members of this team are ${input.done.staffTeam.school}'s staff${by(input.done.staffTeam.by)}.`, { color: 'Good' }));
  if (input.refusal) body.push(paragraph(input.refusal, { color: 'Attention' }));
  const several = input.schools.length > 1;
  if (several) {
    body.push({ type: 'Input.ChoiceSet', id: 'school', label: 'For which school?', isRequired: true, errorMessage: 'Choose the school', choices: input.schools.map((s) => ({ title: s.name, value: s.id })) });
  }
  const data = several ? {} : { school: input.schools[0]?.id ?? '' };
  const actions = input.schools.length === 0 ? [] : [execute('Use this channel for the weekly digest', 'setDigestChannel', data, 'positive'), execute('This team is our staff list', 'setStaffTeam', data)];
  if (input.schools.length === 0) body.push(paragraph('No school in this organisation is set up with the app yet: see "Setting up your school" in the app\'s README.', { isSubtle: true }));
  return adaptiveCard(body, actions, { fallbackText: 'The safeguarding assistant was added to this team.' });
}

/** Someone on the staff of more than one school of a trust: which school is this concern for? */
export function schoolChoiceCard(dialog: DialogKind, schools: ReadonlyArray<{ id: string; name: string }>): AdaptiveCard {
  return adaptiveCard(
    [heading(DIALOG_TITLES[dialog]), paragraph('You are on the staff of more than one school. Which school is this about?')],
    schools.map((s) => ({ type: 'Action.Submit', title: s.name, data: { verb: 'startDialog', dialog, school: s.id } })),
    { fallbackText: 'Which school is this about?' },
  );
}

export interface RoleChangeInput {
  schoolId: string;
  schoolName: string;
  role: string;
  roleLabel: string;
  person: { aadObjectId: string; name: string };
  give: boolean;
  /** Who holds the role now and would no longer. */
  replacing: readonly string[];
}

/** "Make Adele Vance the Designated Teacher?": nothing changes until the DSL or headteacher confirms. */
export function roleChangeCard(input: RoleChangeInput): AdaptiveCard {
  const what = input.give ? `Make ${input.person.name} the ${input.roleLabel} at ${input.schoolName}?` : `Take the ${input.roleLabel} role from ${input.person.name} at ${input.schoolName}?`;
  return adaptiveCard(
    [
      heading('Change a role'),
      paragraph(what),
      ...(input.replacing.length > 0 ? [paragraph(`This replaces ${input.replacing.join(' and ')}, who will be told.`, { isSubtle: true })] : []),
      paragraph('It takes effect within a minute, is recorded in the school\'s audit trail, and the person is told.', { isSubtle: true, size: 'Small' }),
    ],
    [
      execute('Confirm', 'confirmRoleChange', { school: input.schoolId, role: input.role, person: input.person.aadObjectId, give: input.give }, 'positive'),
      execute('Cancel', 'cancelRoleChange', {}),
    ],
    { fallbackText: what },
  );
}

/** The answer to a settings button: what happened, in one or two lines, with no buttons left to press. */
export function settingsDoneCard(title: string, lines: readonly string[], tone: 'good' | 'attention' = 'good'): AdaptiveCard {
  return adaptiveCard([heading(title), ...lines.map((l) => paragraph(l, tone === 'attention' ? { color: 'Attention' } : {}))], [], { fallbackText: lines[0] ?? title });
}

export interface VirtualSchoolRequestInput {
  schoolId: string;
  schoolName: string;
  localAuthority: string;
  /** "Essex (881)". */
  localAuthorityLabel: string;
  /** The concern's reference, so the DSL knows which plan says what to do meanwhile. */
  caseRef: string;
}

/**
 * To the DSL: a child in care is placed by an authority whose Virtual School the school has no
 * contact for. The card takes it once; from then on that Virtual School is told like any other.
 */
export function virtualSchoolRequestCard(input: VirtualSchoolRequestInput): AdaptiveCard {
  return adaptiveCard(
    [
      heading('A Virtual School contact is needed'),
      paragraph(
        `${input.caseRef} is about a child in care placed by ${input.localAuthorityLabel}. ${input.schoolName} has no contact for that authority's Virtual School, so I could not prepare the email to it. ` +
          'Meanwhile the plan asks you to phone them (the council\'s website lists the Virtual School) and tell them yourself.',
      ),
      paragraph('Enter the contact once, and every concern from now on tells them like any other Virtual School:', { spacing: 'Medium' }),
      { type: 'Input.Text', id: 'vsName', label: 'Virtual School', value: `${input.localAuthorityLabel.replace(/ \(\d{3}\)$/, '')} Virtual School`, maxLength: 120, isRequired: true, errorMessage: 'Give its name' },
      { type: 'Input.Text', id: 'vsEmail', label: 'Email address for notifications', style: 'Email', maxLength: 254, isRequired: true, errorMessage: 'Give an email address' },
      { type: 'Input.Text', id: 'vsPhone', label: 'Phone (optional)', style: 'Tel', maxLength: 40 },
    ],
    [execute('Save the contact', 'saveVirtualSchool', { school: input.schoolId, localAuthority: input.localAuthority }, 'positive')],
    { fallbackText: `A Virtual School contact is needed for ${input.localAuthorityLabel}.` },
  );
}

/** To the DSL: the term dates entered run out soon, after which deadlines are only estimates. */
export function termDatesEndingCard(input: { schoolName: string; lastDate: string; weeksLeft: number }): AdaptiveCard {
  return adaptiveCard(
    [
      heading('Term dates run out soon'),
      paragraph(
        `The last term date entered for ${input.schoolName} is ${input.lastDate}, ${input.weeksLeft <= 0 ? 'already past' : `in about ${input.weeksLeft} week${input.weeksLeft === 1 ? '' : 's'}`}. ` +
          'After it, deadlines counted in school days are only estimates, and say so.',
      ),
      labelledUserText('To add them', 'Import your local authority\'s term-dates file (CSV or iCalendar) in the dashboard\'s Settings, or: npm run school -- terms --school <id> <file>'),
    ],
    [],
    { fallbackText: 'Term dates run out soon.' },
  );
}
