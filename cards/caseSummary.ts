import { ABSENCE_REASON_LABEL, ALTERNATIVE_LABEL, CaseAnswers, CONSULTED_LABEL } from '../policy/cases';
import { formatDate } from '../policy/dates';
import { SummaryRow } from './planCards';

/** The answers of a case as label/value rows, for the confirmation, the receipt and the DSL's card. */
export function caseSummaryRows(a: CaseAnswers): SummaryRow[] {
  switch (a.caseType) {
    case 'attendance': {
      const what = [
        a.unexplainedToday && 'absent today without explanation',
        a.sessionsMissed !== undefined && `${a.sessionsMissed} session${a.sessionsMissed === 1 ? '' : 's'} missed recently`,
        a.pattern && 'a pattern of absence',
        a.punctuality && 'often late',
      ].filter((x): x is string => Boolean(x));
      const rows: SummaryRow[] = [['What has been happening', what.length ? what.join('; ') : 'missed sessions']];
      if (a.absenceType !== 'notKnown') rows.push(['Absences', a.absenceType === 'mixed' ? 'some authorised, some not' : a.absenceType]);
      if (a.reasons.length) rows.push(['Reasons known', a.reasons.map((r) => ABSENCE_REASON_LABEL[r]).join('; ')]);
      if (a.attendancePercent !== undefined) rows.push(['Attendance this year', `${a.attendancePercent}%`]);
      if (a.consecutiveUnauthorisedDays !== undefined) rows.push(['Days in a row unauthorised', String(a.consecutiveUnauthorisedDays)]);
      if (a.alreadyDone) rows.push(['Done so far', a.alreadyDone]);
      return rows;
    }
    case 'suspension': {
      const rows: SummaryRow[] = [['What happened', a.whatHappened]];
      rows.push(['Already tried', a.tried.length ? a.tried.map((t) => ALTERNATIVE_LABEL[t]).join('; ') : 'nothing from the list yet']);
      if (a.triedOther) rows.push(['Also tried', a.triedOther]);
      if (a.sendConsiderations) rows.push(['SEND considerations', a.sendConsiderations]);
      if (a.stage === 'decided' && a.decision) {
        const d = a.decision;
        rows.push(['Decision', d.kind === 'permanentExclusion' ? `permanent exclusion from ${formatDate(d.startDate)}` : `suspension of ${d.days} school day${d.days === 1 ? '' : 's'} from ${formatDate(d.startDate)}`]);
        if (d.missesExam) rows.push(['Examination or test', 'would be missed']);
      } else {
        rows.push(['Decided?', a.decisionReported ? 'reported as decided; the headteacher records it' : 'not yet']);
      }
      if (a.stage === 'decided' || a.decisionReported) {
        rows.push(['Discussed beforehand with', a.consultedBeforeDecision.length ? a.consultedBeforeDecision.map((p) => CONSULTED_LABEL[p]).join('; ') : 'none of those the policy names']);
      }
      return rows;
    }
    case 'admission': {
      const rows: SummaryRow[] = [['Start date', formatDate(a.startDate)]];
      if (a.previousSchool) rows.push(['Previous school', a.previousSchool]);
      rows.push(['Transition meeting', a.transitionMeetingDate ? formatDate(a.transitionMeetingDate) : 'not booked yet']);
      rows.push(['Key adult', a.keyAdult === 'notYet' ? 'not chosen yet' : a.keyAdult]);
      rows.push(['Peer buddy', a.peerBuddy === 'notYet' ? 'not chosen yet' : a.peerBuddy]);
      if (a.send) rows.push(['SEN', a.send === 'ehcp' ? 'EHCP' : 'SEN support']);
      rows.push(['Evidence of status seen', a.statusEvidenceSeen ? 'yes' : 'no']);
      return rows;
    }
  }
}
