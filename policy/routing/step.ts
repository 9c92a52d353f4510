import { IsoDate } from '../dates';
import { Role } from '../roles';
import { Citation } from '../profiles/citations';

/** Who a step is for: someone in school, or someone outside it. */
export type Recipient =
  | 'DSL'
  | 'DT'
  | 'headteacher'
  | 'SENCO'
  | 'attendanceLead'
  | 'governors'
  | 'classTeacher'
  | 'child'
  | 'parentsCarers'
  | 'virtualSchool'
  | 'socialWorker'
  | 'localAuthority'
  | 'previousSchool';

export const RECIPIENT_LABEL: Record<Recipient, string> = {
  DSL: 'Designated Safeguarding Lead (DSL)',
  DT: 'Designated Teacher (DT)',
  headteacher: 'Headteacher',
  SENCO: 'Special educational needs co-ordinator (SENCO)',
  attendanceLead: 'Attendance lead',
  governors: 'Governing board',
  classTeacher: 'Class teacher or key adult',
  child: 'The child',
  parentsCarers: 'Parents or carers',
  virtualSchool: 'Virtual School',
  socialWorker: 'Social worker',
  localAuthority: 'Local authority',
  previousSchool: 'Previous school',
};

/** Steps that send information outside the school: a DSL approves them first (unless the profile says otherwise). */
export const EXTERNAL_RECIPIENTS: ReadonlySet<Recipient> = new Set(['virtualSchool', 'socialWorker', 'localAuthority']);

/** How a deadline was set, in words staff recognise. */
export type Timing =
  | { kind: 'immediately' }
  | { kind: 'sameDay' }
  | { kind: 'beforeDecision'; label?: string }
  | { kind: 'withoutDelay' }
  | { kind: 'promptly' }
  | { kind: 'schoolDays'; days: number; from: 'today' | 'startDate' | 'decision' }
  | { kind: 'byDate'; label: string };

export interface RoutingStep {
  /** Stable rule id, e.g. "suspension.cla.virtualSchoolBeforeDecision": tests and the audit trail use it. */
  id: string;
  /** Who is told, or who acts. */
  who: Recipient;
  /** The school role that owns the step (makes the call, sends the email, holds the meeting). */
  owner: Role;
  /** What must happen, in plain English. May name the child's status: lead view only. */
  what: string;
  /** What a member of staff who raised the concern may read: never why the child qualifies. */
  staffWhat: string;
  deadline: IsoDate;
  timing: Timing;
  /** True when the date the rule gives has already passed: the step is due now and late. */
  late?: boolean;
  needsApprovalBy?: 'DSL';
  /** Steps that must be done before this one (for example parents before the Virtual School). */
  after?: string[];
  /** Set when the step must not happen without someone's agreement. */
  requiresConsentOf?: 'parentsCarers';
  /** Why this step applies to this child: lead view only. */
  rationale: string;
  /** The school's own policy, or the law or statutory guidance, that asks for this step. */
  source: Citation;
  /** Other sources that ask for the same. */
  alsoSources?: Citation[];
  /**
   * A warning to act on rather than a message to send: a statutory limit, repeated suspensions, a
   * safeguarding matter, or something the policy says must happen before a decision that did not.
   */
  flag?: 'statutoryLimit' | 'differentIntervention' | 'safeguarding' | 'missedBeforeDecision';
  /**
   * A notification the law requires (a decided suspension's parents, local authority, social worker
   * and Virtual School Head): a DSL may change its wording, never decline it.
   */
  duty?: boolean;
  /** The deadline falls after the last term date the school has entered: counted in weekdays, the earliest it can be. */
  estimated?: boolean;
  /** Details the sender needs (Virtual School's name and email), lead view only. */
  contact?: { name: string; email?: string; phone?: string };
}

export interface RoutingPlan {
  caseType: 'attendance' | 'suspension' | 'admission';
  today: IsoDate;
  /** The school's policy profile and the document its steps cite. */
  policy: { profile: string; document: string };
  /** Set when the case cannot be sent as it stands (a suspension past the 45-day limit): why, and what to change. */
  blocked?: { reason: string; source: Citation };
  /** Whether the child falls under the school's policy for children with a social worker. */
  inScope: boolean;
  /** The statuses were reported by staff for a new starter not on the register yet, not read from the register. */
  statusReported?: boolean;
  /** Short labels of the statuses that drove the plan: lead view only. */
  statusLabels: string[];
  steps: RoutingStep[];
}
