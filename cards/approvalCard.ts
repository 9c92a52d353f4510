import { AdaptiveCard, adaptiveCard, CardAction, CardElement, heading, paragraph } from './adaptiveCard';
import { choiceInput, textInput } from './formCard';
import { CaseHeader, planElements, PlanView, SHORTENED_CARD_NOTE } from './planCards';
import { plainText } from '../policy/plainText';
import { COMPACT_VALUE_BUDGET, labelledUserText, TYPED_VALUE_BUDGET } from './text';

/** Universal Actions verbs on the product's cards; each has its own handler in bot/actions/. */
export const APPROVAL_VERBS = ['approveCase', 'amendCase', 'declineCase', 'refreshApproval', 'completeAction', 'matchNewStarter'] as const;
export type ApprovalVerb = (typeof APPROVAL_VERBS)[number];

export interface ExternalStepLine {
  notificationId: string;
  /** "Essex Virtual School (demo)". */
  recipient: string;
  /** What the email asks, and by when. */
  summary: string;
  /** Required by law (a decided suspension's notifications): it can be amended, never declined. */
  duty?: boolean;
}

export interface ApprovalCardInput extends CaseHeader {
  caseId: string;
  view: PlanView;
  external: readonly ExternalStepLine[];
  /** Set once decided: the card then shows the outcome to everyone and has no buttons. */
  decided?: { outcome: 'approved' | 'amended' | 'declined'; by: string; at: string; reason?: string; sent: number; withheld: number };
  /** Teams user ids (MRIs, "29:...") who get the buttons on refresh; at most 60. */
  approverMris: readonly string[];
  /** Whether this copy is for an approver (buttons) or read-only. */
  forApprover: boolean;
  /** A message above the buttons, for example a reason that was missing. */
  error?: string;
  /** "Reminder" or "Escalated" banner. */
  banner?: string;
  /** Shortened to fit a connector's size limit (see SHORTENED_CARD_NOTE). */
  compact?: boolean;
}

/** Teams accepts at most 60 user ids in refresh.userIds. */
export const MAX_REFRESH_USERS = 60;

function execute(title: string, verb: ApprovalVerb, caseId: string, style?: 'positive' | 'destructive'): CardAction {
  return { type: 'Action.Execute', title, verb, data: { caseId }, ...(style ? { style } : {}) };
}

/** The id of the folded-away plan on the approval card (shown and hidden with a toggle). */
export const APPROVAL_PLAN_ID = 'plan';

/**
 * The DSL's approval card (Universal Actions, schema 1.5), laid out for a phone: the child, what
 * happened, what goes outside school and the buttons come first; the plan with its reasons and
 * sources is folded away behind "Show the plan". Approvers get Approve, Amend and Decline; everyone
 * else in the conversation sees the status only. After a decision the outcome is the first thing
 * on every copy: who decided, when, and why.
 */
export function approvalCard(input: ApprovalCardInput): AdaptiveCard {
  const body: CardElement[] = [];
  const d = input.decided;
  if (input.banner) body.push(paragraph(input.banner, { color: 'Attention', weight: 'Bolder' }));
  body.push(heading(d ? `${input.title}: ${input.ref}` : `Decision needed: ${input.title} (${input.ref})`));
  if (d) {
    const verb = d.outcome === 'approved' ? 'Approved' : d.outcome === 'amended' ? 'Amended' : 'Declined';
    body.push(paragraph(`${verb} by ${d.by} at ${d.at}`, { weight: 'Bolder', color: d.outcome === 'declined' ? 'Attention' : 'Good', spacing: 'Small' }));
    body.push(paragraph(`${d.sent} message${d.sent === 1 ? '' : 's'} sent outside school; ${d.withheld} not sent.`, { spacing: 'None' }));
    if (d.reason) body.push(labelledUserText('Reason', d.reason));
  }
  if (input.compact) body.push(paragraph(SHORTENED_CARD_NOTE, { isSubtle: true }));
  body.push(labelledUserText('Child', input.subject), labelledUserText('Raised by', `${input.raisedBy}, ${input.raisedAt}`));
  body.push(...input.summary.map(([label, value]) => labelledUserText(label, value, input.compact ? COMPACT_VALUE_BUDGET : TYPED_VALUE_BUDGET)));
  body.push(paragraph(d ? 'Outside school' : 'To go outside school', { weight: 'Bolder', spacing: 'Medium' }));
  for (const e of input.external) {
    body.push({
      type: 'Container',
      spacing: 'Small',
      items: [
        { type: 'RichTextBlock', spacing: 'None', inlines: [{ type: 'TextRun', text: plainText(e.recipient), weight: 'Bolder' }] },
        paragraph(e.summary, { spacing: 'None', isSubtle: true }),
        ...(e.duty ? [paragraph('Required by law: it can be amended, not declined.', { spacing: 'None', size: 'Small', weight: 'Bolder' })] : []),
      ],
    });
  }

  if (!d && input.forApprover) {
    if (input.error) body.push(paragraph(input.error, { color: 'Attention', weight: 'Bolder' }));
    const duties = input.external.filter((e) => e.duty).length;
    body.push({ type: 'ActionSet', spacing: 'Medium', actions: approverActions(input.caseId, input.external, duties) });
    body.push(
      paragraph(
        duties > 0
          ? 'Amend to add a note or leave out what is not required; Decline to send only what the law requires. Amend and Decline need a reason: decisions and their reasons are recorded.'
          : 'Amend to send only some, or to add a note; Decline to send none. Amend and Decline need a reason: decisions and their reasons are recorded.',
        { isSubtle: true, size: 'Small', spacing: 'Small' },
      ),
    );
  } else if (!d) {
    body.push(
      paragraph(
        input.external.some((e) => e.duty)
          ? 'Waiting for the Designated Safeguarding Lead (DSL) to decide. The DSL, deputies and the headteacher can approve what the law requires.'
          : 'Waiting for the Designated Safeguarding Lead (DSL) to decide. Only the DSL and deputies can approve.',
        { isSubtle: true, spacing: 'Medium' },
      ),
    );
  }
  body.push(
    { type: 'ActionSet', spacing: 'Medium', actions: [{ type: 'Action.ToggleVisibility', title: `Show or hide the plan (${input.view.steps.length} step${input.view.steps.length === 1 ? '' : 's'})`, targetElements: [APPROVAL_PLAN_ID] }] },
    { type: 'Container', id: APPROVAL_PLAN_ID, isVisible: false, items: planElements(input.view, { compact: input.compact }) },
  );

  const userIds = input.approverMris.slice(0, MAX_REFRESH_USERS);
  return adaptiveCard(body, [], {
    ...(d ? {} : { refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: 'refreshApproval', data: { caseId: input.caseId } }, userIds } }),
    fallbackText: `${input.title} ${input.ref}: open Teams to approve or decline.`,
  });
}

function approverActions(caseId: string, external: readonly ExternalStepLine[], duties: number): CardAction[] {
  return [
    execute('Approve and send', 'approveCase', caseId, 'positive'),
    {
      type: 'Action.ShowCard',
      title: 'Amend',
      card: {
        type: 'AdaptiveCard',
        body: [
          choiceInput('amendSend', 'Send these', external.map((e) => [e.notificationId, e.recipient] as const), { multi: true, value: external.map((e) => e.notificationId) }),
          textInput('amendNote', 'A note to add to the emails (optional; it leaves the school)', { multiline: true, maxLength: 1000 }),
          textInput('amendReason', 'Reason for the change (recorded)', { multiline: true, required: true, maxLength: 1000 }),
        ],
        actions: [execute('Send as amended', 'amendCase', caseId)],
      },
    },
    {
      type: 'Action.ShowCard',
      title: 'Decline',
      card: {
        type: 'AdaptiveCard',
        body: [textInput('declineReason', 'Reason for declining (recorded)', { multiline: true, required: true, maxLength: 1000 })],
        actions: [execute(duties > 0 ? 'Decline: send only what the law requires' : 'Decline: send nothing', 'declineCase', caseId, 'destructive')],
      },
    },
  ];
}

/**
 * What someone who is not a lead (DSL, deputy, DT, headteacher) gets back from an approval card's
 * button or refresh: the refusal and the case's reference only. The full card carries the child's
 * status and the reasons for each step, which are theirs to know only on a need-to-know basis.
 */
export function approvalRefusedCard(ref: string, message: string): AdaptiveCard {
  return adaptiveCard([heading(`Case ${ref}`), paragraph(message, { color: 'Attention', weight: 'Bolder' })], [], { fallbackText: `Case ${ref}: ${message}` });
}
