import { PupilMatch } from '../cards/questions/pupilCards';
import { CaseAnswers } from '../policy/cases';
import { CaseSubject } from '../policy/caseRecord';
import { Pupil } from '../policy/pupil';
import { RoutingPlan } from '../policy/routing/step';
import { IsoDate } from '../policy/dates';
import { DatePurpose } from '../policy/dateChecks';
import { StaffMember } from '../policy/schoolProfile';
import type { SavedCase } from '../delivery/outboxSender';

export interface CaseRequest {
  schoolId: string;
  subject: CaseSubject;
  answers: CaseAnswers;
  raisedBy: { aadObjectId: string; name: string };
  draftId: string;
}

export interface RaisedCase {
  caseId: string;
  ref: string;
  /** False when this draft had already been saved (a retried Send): nothing new was written. */
  created: boolean;
  plan: RoutingPlan;
  /** What this Send wrote, when it wrote it: its cards are sent from it, not read back (see OutboxSender.deliverSaved). */
  saved?: SavedCase;
}

/** What the guided dialogs need from the rest of the product, injected so dialogs stay testable. */
export interface FormServices {
  now(): Date;
  /** Pupils of this school only, best matches first. */
  searchPupils(schoolId: string, query: string, limit: number): Promise<PupilMatch[]>;
  getPupil(schoolId: string, pupilId: string): Promise<Pupil | undefined>;
  /** "Did you mean": pupils of this school whose name is a slip or two from what was typed, nearest first. */
  suggestPupils(schoolId: string, typed: string, limit: number): Promise<PupilMatch[]>;
  /** Pupils of this school a sentence names ("I am worried Sam might get excluded"), and the words that named them. */
  pupilsMentioned(schoolId: string, sentence: string, limit: number): Promise<{ matches: PupilMatch[]; words: string }>;
  /** The school's named staff (role holders), to say who owns each step by name. */
  schoolStaff(schoolId: string): Promise<readonly StaffMember[]>;
  /** The routing plan the case would get, computed exactly as saving computes it. */
  previewPlan(request: CaseRequest): Promise<RoutingPlan>;
  /** Saves the case, its audit entries and its notifications in one transaction; CaseNotSavedError if storage could not be reached. */
  raiseCase(request: CaseRequest): Promise<RaisedCase>;
  /** Starts sending the internal cards of a saved case to role holders who have the app, after the turn (never throws: the outbox retries what fails). */
  deliverStaffNotifications(schoolId: string, raised: RaisedCase): Promise<void>;
  /** Why a date is probably a slip for this school (see policy/dateChecks.ts), or undefined. */
  questionableDate(schoolId: string, date: IsoDate, purpose: DatePurpose): Promise<string | undefined>;
  /** Records a PEP meeting; returns a sentence on when the next one is due. */
  recordPep(schoolId: string, pupilId: string, date: string, by: { aadObjectId: string; name: string }, note?: string): Promise<string>;
}

/**
 * `raiseCase` could not reach the records, and reading back found nothing saved for this draft.
 * The answers are still in the dialog, and sending again is safe: the draft id saves it once.
 */
export class CaseNotSavedError extends Error {
  constructor(cause: unknown) {
    super('the case could not be saved: storage was unavailable', { cause });
    this.name = 'CaseNotSavedError';
  }
}

/** The case cannot be sent as it stands (a suspension that would pass the 45-day limit): nothing was saved. */
export class CaseBlockedError extends Error {
  constructor(readonly reason: string) {
    super('the case cannot be saved as it stands');
    this.name = 'CaseBlockedError';
  }
}
