import { demoPupils } from '../demo/demoSchool';
import { SchoolCalendar } from '../policy/calendar';
import { CaseAnswersInput } from '../policy/cases';
import { formatDate, isoDate } from '../policy/dates';
import { LEGAL_BASIS_LABEL } from '../policy/pupil';
import { POLICY_PROFILE_IDS } from '../policy/profiles';
import { composeEmail } from '../policy/email';
import { routedNewStarter } from '../policy/newStarter';
import { decided, demoPupil, demoProfile, emailTo, raisedCase } from './support/emailCases';

/**
 * What an email to the Virtual School, a social worker or the local authority says: the facts from
 * the case record the recipient needs to act, what the school asks, by when and why, and nothing
 * else. All children and contacts are the demo school's synthetic ones.
 */

const AT_10 = new Date('2026-11-23T10:00:00Z');
/** Typed by staff: must never leave the school. */
const TYPED = { whatHappened: 'MARK-whatHappened pushed Jamie Example', alreadyDone: 'MARK-alreadyDone phoned gran', triedOther: 'MARK-triedOther', sendConsiderations: 'MARK-sendConsiderations' };

const attendance: CaseAnswersInput = { caseType: 'attendance', sessionsMissed: 9, absenceType: 'unauthorised', pattern: true, punctuality: true, reasons: ['contact', 'medical'], attendancePercent: 86.2, consecutiveUnauthorisedDays: 12, alreadyDone: TYPED.alreadyDone };
const unexplained: CaseAnswersInput = { caseType: 'attendance', unexplainedToday: true, attendancePercent: 79.5, alreadyDone: TYPED.alreadyDone };
const atRisk: CaseAnswersInput = { caseType: 'suspension', stage: 'atRisk', whatHappened: TYPED.whatHappened, tried: ['softStart'], triedOther: TYPED.triedOther, sendConsiderations: TYPED.sendConsiderations };
const decidedNoConsultation: CaseAnswersInput = { ...atRisk, stage: 'decided', decision: { kind: 'suspension', startDate: '2026-11-25', days: 3 } };
const decidedConsulted: CaseAnswersInput = { ...decidedNoConsultation, consultedBeforeDecision: ['virtualSchool', 'parentsCarers', 'socialWorker'] };
const permanent: CaseAnswersInput = { ...decidedConsulted, decision: { kind: 'permanentExclusion', startDate: '2026-11-24' } };
const admission: CaseAnswersInput = { caseType: 'admission', startDate: '2026-11-30', previousSchool: 'Brookvale Primary (synthetic)' };
const ALL_ANSWERS = { attendance, unexplained, atRisk, decidedNoConsultation, decidedConsulted, permanent, admission };

describe('every email the policy engine can ask for, under all five school policies, for every demo child', () => {
  const seenSteps = new Set<string>();
  const cases = POLICY_PROFILE_IDS.flatMap((policy) => demoPupils.flatMap((p) => Object.entries(ALL_ANSWERS).map(([kind, answers]) => ({ policy, pupilId: p.id!, kind, answers }))));

  it.each(POLICY_PROFILE_IDS)('%s: says what is asked, by when and why, in one date format, and nothing typed or about other children', (policy) => {
    const profile = demoProfile(policy);
    const calendar = new SchoolCalendar(profile.calendar);
    let checked = 0;
    for (const c of cases.filter((x) => x.policy === policy)) {
      const pupil = demoPupil(c.pupilId);
      const raised = raisedCase({ pupil, answers: c.answers, profile });
      if (raised.emails.length === 0) continue;
      const send = raised.record.approval.required ? decided(raised, { verb: 'approve' }, AT_10) : raised;
      for (const n of send.emails.filter((e) => e.to.email)) {
        const email = composeEmail(n, send.record, pupil, profile, send.record.approval.decision);
        const where = `${policy} ${c.pupilId} ${c.kind} ${n.stepIds[0]}`;
        seenSteps.add(n.stepIds[0]!);
        const text = email.text;
        // Every kind of step has its own request: none falls through to a vague one.
        expect([where, text.includes('We would like to talk to you about')]).toEqual([where, false]);
        // A reply-by date on a school day from the day the DSL decided, or a plain "no reply needed".
        const by = /Please reply (?:as soon as you can, )?by ((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4})/.exec(text);
        const noReply = text.includes('No reply is needed:');
        expect([where, Boolean(by) !== noReply]).toEqual([where, true]);
        if (by) {
          const dates = Array.from({ length: 60 }, (_, i) => isoDate(new Date(Date.UTC(2026, 10, 23 + i)).toISOString().slice(0, 10)));
          const date = dates.find((d) => formatDate(d) === by[1]);
          expect([where, date !== undefined && calendar.isSchoolDay(date)]).toEqual([where, true]);
          expect(email.subject).toContain(`please reply by ${by[1]}`);
        }
        // One date format: never 23/11/2026 or 2026-11-23.
        expect([where, text.match(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/g)]).toEqual([where, null]);
        // Nothing typed by staff; no other child; not the child's legal status or SEN.
        for (const typed of Object.values(TYPED)) expect([where, text.includes(typed.slice(0, 12))]).toEqual([where, false]);
        expect([where, text.includes('Jamie Example')]).toEqual([where, false]);
        for (const other of demoPupils.filter((p) => p.id !== c.pupilId)) expect([where, text.includes(other.familyName)]).toEqual([where, false]);
        for (const label of Object.values(LEGAL_BASIS_LABEL)) expect([where, text.includes(label)]).toEqual([where, false]);
        expect([where, /SEN support|EHCP|education, health and care/i.test(text)]).toEqual([where, false]);
        // Who the email comes from and who to reply to.
        expect(email.fromName).toBe(profile.name);
        expect(text).toMatch(/Please reply to [A-Z][a-z]+ [A-Z][a-z]+ \([A-Za-z ]+\), [a-z.]+@oakfield\.example\.org\./);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('covered every kind of step that becomes an email (the ones above ran first)', () => {
    // The local authority's ten-day step has no address in any profile (no contact): it never becomes an email.
    expect([...seenSteps].sort()).toEqual(
      expect.arrayContaining([
        'admission.cla.virtualSchool',
        'admission.socialWorker',
        'attendance.cla.virtualSchool',
        'attendance.socialWorker',
        'attendance.unexplained.socialWorkerToday',
        'attendance.unexplained.virtualSchoolToday',
        'suspension.cla.virtualSchoolBeforeDecision',
        'suspension.cpla.virtualSchoolAdvice',
        'suspension.cwsw.virtualSchoolBeforeActing',
        'suspension.decided.localAuthority',
        'suspension.decided.socialWorker',
        'suspension.decided.virtualSchool',
        'suspension.socialWorkerEarly',
      ]),
    );
  });
});

/** The lines of one section of an email, up to the next blank line. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`no section "${heading}" in:\n${text}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

describe('the facts each recipient needs to act', () => {
  it('attendance: the figure, the sessions, the run of unauthorised days and the dates; the local authority is not told why the child missed school', () => {
    const c = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: attendance }), { verb: 'approve' }, AT_10);
    expect(section(emailTo(c, 'virtualschool@essex-vs.example.org').text, 'What has happened')).toEqual([
      '  Attendance this school year: 86.2%',
      '  Sessions missed recently: 9 half-day sessions',
      '  Unauthorised absence: 12 school days in a row, up to Mon 23 Nov 2026',
      '  Absences: unauthorised',
      '  Pattern: the absences follow a pattern',
      '  Punctuality: often late',
      '  Reasons known: family time (contact); a medical appointment',
      '  Concern raised on: Mon 23 Nov 2026',
    ]);
    expect(emailTo(c, 'virtualschool@essex-vs.example.org').text).toContain("We are concerned about Kai's attendance and punctuality.");
  });

  it('an unexplained absence: the day, asked about today, by today, with the statutory reason', () => {
    const c = decided(raisedCase({ pupil: demoPupil('demo-p07'), answers: unexplained }), { verb: 'approve' }, AT_10);
    const text = emailTo(c, 'dee.holloway@herts-socialcare.example.org').text;
    expect(section(text, 'What has happened')).toEqual(['  Absent without explanation: Mon 23 Nov 2026', '  Attendance this school year: 79.5%', '  Concern raised on: Mon 23 Nov 2026']);
    expect(text).toContain('Amara is absent from school today, Mon 23 Nov 2026, and nobody has told us why. We are trying to reach the family.');
    expect(text).toContain("Please reply by Mon 23 Nov 2026: statutory guidance asks schools to tell a child's social worker the same day about an absence nobody has explained.");
    // Amara is on a child protection plan: the social worker knows, and the email does not say it
    // (the statutory guidance quoted at the end names such plans in general).
    expect([...section(text, 'What has happened'), ...section(text, 'Why we are writing')].join('\n')).not.toMatch(/protection|Child in Need/i);
  });

  it('a decided suspension: the decision, its first and last day, the day back, and a reply by the reintegration date', () => {
    const c = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: decidedConsulted }), { verb: 'approve' }, AT_10);
    const text = emailTo(c, 'priya.castell@essex-socialcare.example.org').text;
    expect(section(text, 'What has happened')).toEqual([
      '  Decision: suspension for 3 school days, decided by the headteacher',
      '  First day: Wed 25 Nov 2026',
      '  Last day: Fri 27 Nov 2026',
      '  Back at school: Mon 30 Nov 2026',
      '  Support already tried: a soft start to the day',
      '  Recorded on: Mon 23 Nov 2026',
    ]);
    expect(text).toContain('the headteacher has decided to suspend Kai for 3 school days, from Wed 25 Nov 2026 to Fri 27 Nov 2026. For the reasons for the decision, please contact us (details below).');
    expect(text).toContain('Please reply by Fri 27 Nov 2026: we plan Kai\'s return to school, with a reintegration meeting, by the last day of the suspension');
    const la = emailTo(c, 'exclusions@herts-la.example.org');
    expect(la.text).not.toContain('Support already tried');
    expect(la.text).toContain('No reply is needed: the law asks schools to tell the local authority of every suspension and permanent exclusion without delay');
    expect(la.subject).toBe('Oakfield Primary (demo): suspension decided – ref ATT-7K2QX');
  });

  it('half a day: no "back at school" date a date cannot say; a permanent exclusion: a reply before the governing board meets', () => {
    const half = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: { ...decidedConsulted, decision: { kind: 'suspension', startDate: '2026-11-25', days: 0.5 } } as CaseAnswersInput }), { verb: 'approve' }, AT_10);
    const halfText = emailTo(half, 'virtualschool@essex-vs.example.org').text;
    expect(section(halfText, 'What has happened').slice(0, 3)).toEqual(['  Decision: suspension for half a school day, decided by the headteacher', '  First day: Wed 25 Nov 2026', '  Last day: Wed 25 Nov 2026']);
    expect(halfText).not.toContain('Back at school');
    expect(halfText).toContain('to suspend Kai for half a school day, on Wed 25 Nov 2026.');

    const pex = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: permanent }), { verb: 'approve' }, AT_10);
    const pexText = emailTo(pex, 'virtualschool@essex-vs.example.org');
    expect(section(pexText.text, 'What has happened').slice(0, 2)).toEqual(['  Decision: permanent exclusion, decided by the headteacher', '  From: Tue 24 Nov 2026']);
    // 15 school days from Monday 23 November 2026.
    expect(pexText.text).toContain('Please reply by Mon 14 Dec 2026: the governing board must consider reinstating Kai within 15 school days');
    expect(pexText.subject).toContain('permanent exclusion decided');
  });

  it('a decision made without the consultation the policy asks for: said plainly, with a reply before it starts', () => {
    const c = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: decidedNoConsultation }), { verb: 'approve' }, AT_10);
    const vs = c.emails.filter((e) => e.to.email === 'virtualschool@essex-vs.example.org').map((n) => composeEmail(n, c.record, c.pupil, c.profile, c.record.approval.decision).text);
    const missed = vs.find((t) => t.includes('We should have discussed this with you before the decision was made'));
    expect(missed).toContain('Please reply by Tue 24 Nov 2026: our policy asks us to discuss a suspension or exclusion with the Virtual School before it is decided; as that did not happen, we would like to do so before it starts on Wed 25 Nov 2026.');
  });

  it('an admission: the start date, the previous school, the PEP deadline, and a reply before the child starts', () => {
    const c = decided(raisedCase({ pupil: demoPupil('demo-p03'), answers: admission }), { verb: 'approve' }, AT_10);
    const text = emailTo(c, 'virtualschool@luton-vs.example.org').text;
    expect(section(text, 'What has happened')).toEqual(['  Start date: Mon 30 Nov 2026', '  Previous school: Brookvale Primary (synthetic)', '  Transition meeting: not booked yet']);
    expect(text).toContain('Ellis starts at our school on Mon 30 Nov 2026. We will hold a new personal education plan (PEP) meeting within 10 school days of the start (by Mon 14 Dec 2026).');
    expect(text).toContain("Please reply by Mon 30 Nov 2026: statutory guidance asks for a looked-after child's personal education plan to be reviewed within 10 school days of a change of school");
  });

  it('a new starter not on the register yet is named as staff entered them, and said to be joining', () => {
    const subject = { kind: 'newStarter' as const, givenName: 'Jordan', familyName: 'Notonroll', yearGroup: '3' as const, dateOfBirth: isoDate('2018-05-04'), statuses: [{ kind: 'CLA' as const, legalBasis: 's31' as const, placingAuthority: '881' }] };
    const c = decided(raisedCase({ answers: admission, subject, routeAs: routedNewStarter(subject) }), { verb: 'approve' }, AT_10);
    const text = composeEmail(c.emails.find((e) => e.to.recipient === 'virtualSchool')!, c.record, undefined, c.profile, c.record.approval.decision).text;
    expect(section(text, 'The child')).toEqual(['  Child: Jordan Notonroll (joining us: not on our register yet)', '  Date of birth: Fri 4 May 2018', '  Year group: Year 3']);
    expect(text).toContain('Jordan starts at our school on Mon 30 Nov 2026.');
    expect(text).not.toMatch(/section 31|care order/);
  });

  it('who asks: the school\'s own policy where it says so, otherwise the statute it cites', () => {
    const offord = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: atRisk, profile: demoProfile('offord') }), { verb: 'approve' }, AT_10);
    expect(emailTo(offord, 'virtualschool@essex-vs.example.org').text).toContain('Please reply by Mon 23 Nov 2026: our policy asks us to discuss a possible suspension with the Virtual School before any decision is made');
    expect(emailTo(offord, 'virtualschool@essex-vs.example.org').text).toContain('  Our policy (');
    expect(emailTo(offord, 'priya.castell@essex-socialcare.example.org').text).toContain("Please reply by Mon 23 Nov 2026: statutory guidance asks schools to involve a pupil's social worker as early as possible");
  });
});

describe('the decision behind the email', () => {
  it('approved days after the concern was raised: the reply-by date is never in the past, and says it is late', () => {
    const thursday = new Date('2026-11-26T14:00:00Z');
    const c = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: attendance }), { verb: 'approve' }, thursday);
    const email = emailTo(c, 'virtualschool@essex-vs.example.org');
    expect(email.text).toContain('Please reply as soon as you can, by Thu 26 Nov 2026 at the latest: our policy asks us to contact the Virtual School');
    expect(email.subject).toContain('please reply by Thu 26 Nov 2026');
    expect(email.text).toContain('Sent with the approval of Megan Bowen, Designated Safeguarding Lead, on Thu 26 Nov 2026.');
  });

  it('a deputy\'s note is signed with the deputy\'s name and role', () => {
    const c = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: atRisk }), { verb: 'approve', note: 'Please ring Adele on Tuesday morning.' }, AT_10, 'deputyDsl');
    const text = emailTo(c, 'virtualschool@essex-vs.example.org').text;
    expect(text).toContain('A note from Isaiah Langer, our Deputy Designated Safeguarding Lead:\nPlease ring Adele on Tuesday morning.');
    expect(text).toContain('Sent with the approval of Isaiah Langer, Deputy Designated Safeguarding Lead, on Mon 23 Nov 2026.');
  });

  it('declined: the notifications the law requires still go, and do not claim an approval', () => {
    // Not consulted beforehand: the consultations can be declined, the notifications cannot.
    const c = decided(raisedCase({ pupil: demoPupil('demo-p02'), answers: decidedNoConsultation }), { verb: 'decline', reason: 'Discussed by phone with everyone (synthetic).' }, AT_10);
    const sent = c.emails.filter((e) => c.decision.sendNotificationIds.includes(e.id));
    expect(sent.map((e) => e.stepIds[0]).sort()).toEqual(['suspension.decided.localAuthority', 'suspension.decided.socialWorker', 'suspension.decided.virtualSchool']);
    const n = sent.find((e) => e.to.recipient === 'virtualSchool')!;
    const text = composeEmail(n, c.record, c.pupil, c.profile, c.decision).text;
    expect(text).toContain('We are telling you, as the law requires, that the headteacher has decided to suspend Kai');
    expect(text).not.toContain('Sent with the approval');
    expect(text).not.toContain('Discussed by phone');
    expect(text).toContain('For the reasons for the decision, please contact us (details below).');
  });

  it('a child described only in a teacher\'s words is not named, and the words stay in school', () => {
    const c = raisedCase({ answers: atRisk, subject: { kind: 'notOnRegister', description: 'Tall boy in 5B, MARK-description' } });
    // Such a plan has no external step; an email composed for one all the same keeps the description out.
    const n = { id: 'case-0001.e0', caseId: 'case-0001', channel: 'email' as const, to: { recipient: 'virtualSchool' as const, name: 'Hertfordshire Virtual School (demo)', email: 'virtualschool@herts-vs.example.org' }, stepIds: ['suspension.cla.virtualSchoolBeforeDecision'], status: 'pending' as const };
    const text = composeEmail(n, c.record, undefined, c.profile, undefined).text;
    expect(text).toContain('  Child: not on our register: our Designated Safeguarding Lead will tell you who by phone');
    expect(text).not.toContain('MARK-description');
  });
});
