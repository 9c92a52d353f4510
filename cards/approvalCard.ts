import { AdaptiveCard, adaptiveCard, CardAction, CardElement, heading, paragraph } from './adaptiveCard';
import { choiceInput, textInput } from './formCard';
import { CaseHeader, planElements, PlanView, SHORTENED_CARD_NOTE } from './planCards';
import { COMPACT_VALUE_BUDGET, labelledUserText, TYPED_VALUE_BUDGET, userText } from './text';

/** Universal Actions verbs on the product's cards; each has its own handler in bot/actions/. */
export const APPROVAL_VERBS = ['approveCase', 'amendCase', 'declineCase', 'refreshApproval', 'completeAction'] as const;
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

/**
 * The DSL's approval card (Universal Actions, schema 1.5). Approvers get Approve, Amend and
 * Decline; everyone else in the conversation sees the status only. After a decision every copy
 * shows who decided, when, and why.
 */
export function approvalCard(input: ApprovalCardInput): AdaptiveCard {
  const body: CardElement[] = [];
  if (input.banner) body.push(paragraph(input.banner, { color: 'Attention', weight: 'Bolder' }));
  body.push(heading(input.decided ? `${input.title}: ${input.ref}` : `Decision needed: ${input.title.toLowerCase()} ${input.ref}`));
  if (input.compact) body.push(paragraph(SHORTENED_CARD_NOTE, { isSubtle: true }));
  body.push(labelledUserText('Child', input.subject), labelledUserText('Raised by', `${input.raisedBy}, ${input.raisedAt}`));
  body.push(...input.summary.map(([label, value]) => labelledUserText(label, value, input.compact ? COMPACT_VALUE_BUDGET : TYPED_VALUE_BUDGET)));
  body.push(paragraph('To go outside school', { weight: 'Bolder', size: 'Medium', spacing: 'Large' }));
  for (const e of input.external) {
    body.push({
      type: 'Container',
      separator: true,
      spacing: 'Small',
      items: [
        userText(e.recipient, { spacing: 'None' }),
        paragraph(e.summary, { spacing: 'None', isSubtle: true }),
        ...(e.duty ? [paragraph('Required by law: it can be amended, not declined.', { spacing: 'None', size: 'Small', weight: 'Bolder' })] : []),
      ],
    });
  }

  const actions: CardAction[] = [];
  if (input.decided) {
    const d = input.decided;
    const verb = d.outcome === 'approved' ? 'Approved' : d.outcome === 'amended' ? 'Amended' : 'Declined';
    body.push(paragraph(`${verb} by ${d.by} at ${d.at}`, { weight: 'Bolder', color: d.outcome === 'declined' ? 'Attention' : 'Good', spacing: 'Medium' }));
    if (d.reason) body.push(labelledUserText('Reason', d.reason));
    body.push(paragraph(`${d.sent} message${d.sent === 1 ? '' : 's'} sent outside school; ${d.withheld} not sent.`, { isSubtle: true }));
  } else if (input.forApprover) {
    if (input.error) body.push(paragraph(input.error, { color: 'Attention', weight: 'Bolder' }));
    const duties = input.external.filter((e) => e.duty).length;
    body.push(
      paragraph(
        duties > 0
          ? 'Approve to send these now. Amend to add a note or leave out what is not required; Decline to send only what the law requires. Amend and Decline need a reason: decisions and their reasons are recorded.'
          : 'Approve to send these now. Amend to send only some of them, or to add a note; Decline to send none. Amend and Decline need a reason: decisions and their reasons are recorded.',
        { isSubtle: true },
      ),
    );
    actions.push(
      execute('Approve and send', 'approveCase', input.caseId, 'positive'),
      {
        type: 'Action.ShowCard',
        title: 'Amend',
        card: {
          type: 'AdaptiveCard',
          body: [
            choiceInput('amendSend', 'Send these', input.external.map((e) => [e.notificationId, e.recipient] as const), { multi: true, value: input.external.map((e) => e.notificationId) }),
            textInput('amendNote', 'A note to add to the emails (optional; it leaves the school)', { multiline: true, maxLength: 1000 }),
            textInput('amendReason', 'Reason for the change (recorded)', { multiline: true, required: true, maxLength: 1000 }),
          ],
          actions: [execute('Send as amended', 'amendCase', input.caseId)],
        },
      },
      {
        type: 'Action.ShowCard',
        title: 'Decline',
        card: {
          type: 'AdaptiveCard',
          body: [textInput('declineReason', 'Reason for declining (recorded)', { multiline: true, required: true, maxLength: 1000 })],
          actions: [execute(duties > 0 ? 'Decline: send only what the law requires' : 'Decline: send nothing', 'declineCase', input.caseId, 'destructive')],
        },
      },
    );
  } else {
    body.push(
      paragraph(
        input.external.some((e) => e.duty)
          ? 'Waiting for the Designated Safeguarding Lead (DSL) to decide. The DSL, deputies and the headteacher can approve what the law requires.'
          : 'Waiting for the Designated Safeguarding Lead (DSL) to decide. Only the DSL and deputies can approve.',
        { isSubtle: true, spacing: 'Medium' },
      ),
    );
  }
  body.push(paragraph('The plan', { weight: 'Bolder', size: 'Medium', spacing: 'Large' }), ...planElements(input.view, { compact: input.compact }));

  const userIds = input.approverMris.slice(0, MAX_REFRESH_USERS);
  return adaptiveCard(body, actions, {
    ...(input.decided ? {} : { refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: 'refreshApproval', data: { caseId: input.caseId } }, userIds } }),
    fallbackText: `${input.title} ${input.ref}: open Teams to approve or decline.`,
  });
}

/**
 * What someone who is not a lead (DSL, deputy, DT, headteacher) gets back from an approval card's
 * button or refresh: the refusal and the case's reference only. The full card carries the child's
 * status and the reasons for each step, which are theirs to know only on a need-to-know basis.
 */
export function approvalRefusedCard(ref: string, message: string): AdaptiveCard {
  return adaptiveCard([heading(`Case ${ref}`), paragraph(message, { color: 'Attention', weight: 'Bolder' })], [], { fallbackText: `Case ${ref}: ${message}` });
}
