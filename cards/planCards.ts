import { PersonLine } from '../policy/stepOwners';
import { LeadPlanView, StaffPlanView } from '../policy/views';
import { adaptiveCard, AdaptiveCard, CardElement, heading, paragraph } from './adaptiveCard';
import { formCard, FormCardFrame } from './formCard';
import { COMPACT_VALUE_BUDGET, labelledUserText, TYPED_VALUE_BUDGET, userText } from './text';

export type PlanView = StaffPlanView | LeadPlanView;

/** A row of the summary: our label, the user's (or register's) words. */
export type SummaryRow = readonly [label: string, value: string];

/** Said at the top of a card shortened to fit a connector's size limit. */
export const SHORTENED_CARD_NOTE = 'This card was shortened to fit in Teams: the reasons, the sources and the full text are in the dashboard tab.';

/**
 * The routing plan in the reader's view: who, when and what; for the DSL and DT also why and the
 * source. `compact`: who, when and what only (a card shortened to fit a size limit).
 */
export function planElements(view: PlanView, o: { compact?: boolean } = {}): CardElement[] {
  const out: CardElement[] = [];
  if (view.view === 'lead') {
    if (view.statusLabels.length > 0) {
      out.push(paragraph(view.statusReported ? 'Status as reported (confidential)' : 'Status on the register (confidential)', { weight: 'Bolder', spacing: 'Medium' }));
      for (const label of view.statusLabels) out.push(userText(`• ${label}`, { spacing: 'None' }));
    }
    if (!view.inScope) {
      out.push(
        paragraph(
          view.statusReported
            ? 'No status this policy covers was reported for this new starter: the DSL checks with their previous school before deciding it does not apply.'
            : 'This child is not in the group this policy covers: the DSL decides what happens.',
          { color: 'Attention' },
        ),
      );
    }
    for (const s of view.steps) {
      const badges = [
        s.flag === 'safeguarding' ? 'SAFEGUARDING' : '',
        s.flag === 'statutoryLimit' ? 'STATUTORY' : '',
        s.flag === 'differentIntervention' ? 'REVIEW' : '',
        s.flag === 'missedBeforeDecision' ? 'MISSED: SHOULD HAVE COME BEFORE THE DECISION' : '',
        s.duty ? 'required by law' : '',
        s.needsApprovalBy ? 'needs DSL approval before sending' : '',
        s.late ? 'LATE' : '',
      ]
        .filter(Boolean)
        .join(' · ');
      out.push({
        type: 'Container',
        separator: true,
        spacing: 'Small',
        items: [
          paragraph(`**${s.whoLabel}**: ${s.when}${badges ? ` (${badges})` : ''}`, { spacing: 'None' }),
          paragraph(s.what, { spacing: 'None' }),
          ...(s.contact ? [userText(`Contact: ${[s.contact.name, s.contact.email, s.contact.phone].filter(Boolean).join(', ')}`, { spacing: 'None' })] : []),
          ...(o.compact
            ? []
            : [paragraph(`Why: ${s.rationale}`, { isSubtle: true, size: 'Small', spacing: 'None' }), paragraph(`Source: ${s.citation}`, { isSubtle: true, size: 'Small', spacing: 'None' })]),
        ],
      });
    }
  } else {
    for (const s of view.steps) {
      out.push({
        type: 'Container',
        separator: true,
        spacing: 'Small',
        items: [paragraph(`**${s.who}**: ${s.when}`, { spacing: 'None' }), paragraph(s.what, { spacing: 'None', isSubtle: true })],
      });
    }
  }
  return out;
}

/** The id of a folded-away full plan (lead view) on the confirmation and the receipt. */
export const FULL_PLAN_ID = 'fullPlan';

/**
 * Who does what, one block per person ("You" first), each task on one line with its deadline: a
 * phone shows it without scrolling past the same person three times.
 */
export function peopleElements(people: readonly PersonLine[]): CardElement[] {
  return people.map((p) => ({
    type: 'Container',
    separator: true,
    spacing: 'Small',
    items: [
      paragraph(p.you ? '**You**' : `**${p.who}**`, { spacing: 'None' }),
      ...p.tasks.map((t) => paragraph(`${capitalise(t.when)}: ${t.what}`, { spacing: 'None', size: 'Small' })),
    ],
  }));
}

/** The lead view's full plan (reasons and sources), folded away under the people. */
function foldedPlan(view: PlanView): CardElement[] {
  if (view.view !== 'lead') return [];
  return [
    { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'Show or hide the plan with reasons and sources', targetElements: [FULL_PLAN_ID] }] },
    { type: 'Container', id: FULL_PLAN_ID, isVisible: false, items: planElements(view) },
  ];
}

export function confirmCard(frame: FormCardFrame, subject: string, summary: readonly SummaryRow[], view: PlanView, people: readonly PersonLine[]): AdaptiveCard {
  // A case the law does not allow as it stands has no Send: only Back (to change it) and Cancel.
  const blocked = view.blocked ? [paragraph(`This cannot be sent as it stands. ${view.blocked} Press Back to change it.`, { color: 'Attention', weight: 'Bolder' })] : [];
  return formCard({ ...frame, submitTitle: view.blocked ? 'Check again' : 'Send' }, [
    heading('Check and send'),
    ...blocked,
    labelledUserText('Child', subject),
    ...summary.map(([label, value]) => labelledUserText(label, value)),
    paragraph('Who does what, and by when', { weight: 'Bolder', spacing: 'Medium' }),
    ...peopleElements(people),
    ...foldedPlan(view),
    paragraph('Nothing is saved or sent until you press Send. Anything for people outside school is checked by the DSL first.', { isSubtle: true, size: 'Small', spacing: 'Medium' }),
  ]);
}

export function receiptCard(ref: string, title: string, view: PlanView, alreadySent: boolean, people: readonly PersonLine[]): AdaptiveCard {
  return adaptiveCard(
    [
      heading(alreadySent ? `Already sent: ${ref}` : `Sent: ${ref}`),
      paragraph(
        alreadySent
          ? `This was already saved, with reference **${ref}**. Nothing was sent twice.`
          : `Thank you. It is saved with reference **${ref}**. Quote it if you speak to the DSL about it.`,
      ),
      ...peopleElements(people),
      ...foldedPlan(view),
      paragraph('If a child is at immediate risk of harm, do not wait: speak to the DSL now.', { isSubtle: true, spacing: 'Medium' }),
    ],
    [],
    { fallbackText: `Saved with reference ${ref}.` },
  );
}

const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** What every card about a saved case opens with: which case, which child, who raised it and when. */
export interface CaseHeader {
  ref: string;
  title: string;
  subject: string;
  raisedBy: string;
  raisedAt: string;
  summary: readonly SummaryRow[];
}

export interface CaseNotificationInput extends CaseHeader {
  /** Already cut to what this reader may see: the lead view, or the staff view of their own steps. */
  view: PlanView;
  externalAwaitingApproval: number;
  /** Who does what, for this reader ("You" for their own tasks); without it, the plan step by step. */
  people?: readonly PersonLine[];
  /** Shortened to fit a connector's size limit (see SHORTENED_CARD_NOTE). */
  compact?: boolean;
}

/** What a role holder receives in Teams when a concern is raised: who does what first; for a lead, the plan's reasons folded away. */
export function caseNotificationCard(input: CaseNotificationInput): AdaptiveCard {
  const plan = input.people
    ? [paragraph('Who does what, and by when', { weight: 'Bolder', spacing: 'Medium' }), ...peopleElements(input.people), ...foldedPlan(input.view)]
    : [paragraph('The plan', { weight: 'Bolder', size: 'Medium', spacing: 'Large' }), ...planElements(input.view, { compact: input.compact })];
  return adaptiveCard(
    [
      heading(`New: ${input.title} (${input.ref})`),
      ...(input.compact ? [paragraph(SHORTENED_CARD_NOTE, { isSubtle: true })] : []),
      labelledUserText('Child', input.subject),
      labelledUserText('Raised by', `${input.raisedBy}, ${input.raisedAt}`),
      ...input.summary.map(([label, value]) => labelledUserText(label, value, input.compact ? COMPACT_VALUE_BUDGET : TYPED_VALUE_BUDGET)),
      ...(input.externalAwaitingApproval > 0
        ? [paragraph(`${input.externalAwaitingApproval} message${input.externalAwaitingApproval === 1 ? '' : 's'} to people outside school wait for a DSL's approval.`, { color: 'Attention', weight: 'Bolder' })]
        : []),
      ...plan,
    ],
    [],
    { fallbackText: `New: ${input.title} (${input.ref}). Open Teams to read it.` },
  );
}
