import { adaptiveCard, AdaptiveCard, heading, paragraph } from './adaptiveCard';
import { labelledUserText } from './text';

export interface AuditBrokenInput {
  school: string;
  entriesChecked: number;
  /** Where the chain first fails to fit, as the check reports it (a place in the chain, never a record's content). */
  brokenAt: string;
  problem: string;
  checkedOn: string;
}

/** To each DSL: the nightly check found the school's audit trail changed outside the app. */
export function auditBrokenCard(input: AuditBrokenInput): AdaptiveCard {
  return adaptiveCard(
    [
      heading('Audit trail check failed'),
      paragraph(
        `The nightly check of ${input.school}'s audit trail found an entry that does not fit the chain: something was changed, removed or added outside this app. Records made since are still kept, but the trail can no longer prove it is complete.`,
      ),
      labelledUserText('Checked on', input.checkedOn),
      labelledUserText('Entries checked', String(input.entriesChecked)),
      labelledUserText('First entry that does not fit', input.brokenAt),
      labelledUserText('What is wrong', input.problem),
      paragraph('Tell your IT lead today: they have been alerted too, and docs/OPERATIONS.md ("The audit trail check failed") says what to do. Keep this message.', { isSubtle: true }),
    ],
    [],
    { fallbackText: 'The audit trail check failed.' },
  );
}

export interface RetentionDoneInput {
  school: string;
  yearsAfterBirth: number;
  /** Pupil ids and concern references: never names (the records they named are gone). */
  children: string[];
  concerns: string[];
  doneOn: string;
  auditEntry: string;
}

/** To each DSL: records past the school's retention period were deleted tonight, as its policy requires. */
export function retentionDoneCard(input: RetentionDoneInput): AdaptiveCard {
  return adaptiveCard(
    [
      heading('Records deleted at the end of their retention period'),
      paragraph(
        `As ${input.school}'s retention schedule requires (${input.yearsAfterBirth} years after a child's date of birth), these records were deleted on ${input.doneOn}. Their audit entries keep their place in the trail, reduced to the fact that they existed.`,
      ),
      ...(input.children.length > 0 ? [labelledUserText('Children (register ids)', input.children.join(', '))] : []),
      ...(input.concerns.length > 0 ? [labelledUserText('Concerns (references)', input.concerns.join(', '))] : []),
      labelledUserText('Recorded in the audit trail as', input.auditEntry),
    ],
    [],
    { fallbackText: 'Records past their retention period were deleted.' },
  );
}
