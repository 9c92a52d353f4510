import { POLICY_PROFILE_IDS, POLICY_PROFILES, PolicyProfileId } from '../../policy/profiles';
import { cardText, createHarness, lastCard, questionOf } from '../support/botHarness';

/**
 * Through the bot, under each of the five policy profiles: the Designated Teacher raises a worry
 * about a suspension and an attendance concern for Sam Thistlewood (synthetic; in care, placed by
 * Hertfordshire), and the plan on the check-and-send card is that school's: its own sentences, the statute,
 * and nothing from another school's policy.
 */

const pickSam = { verb: 'answer', question: 'pupil', pupilId: 'demo-p01', pupilName: '' };
const tried = { verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' };
const attendanceDetails = { verb: 'answer', question: 'details', what: 'missedSessions', absenceType: 'unauthorised', reasons: 'placementMove', sessionsMissed: '6', attendancePercent: '93', consecutiveUnauthorisedDays: '', alreadyDone: '' };

/** What each school's plan must show, and what it must not, in the card's own words. */
const EXPECT: Record<PolicyProfileId, { suspension: { shows: RegExp[]; not: RegExp[] }; attendance: { shows: RegExp[]; not: RegExp[] } }> = {
  leys: {
    suspension: { shows: [/Not yet tried: a more structured break or lunchtime/, /Source: The Leys Primary & Nursery School, .*"Suspensions and Exclusion"/], not: [/risk assessment focused on this child/] },
    attendance: { shows: [/\*\*Virtual School\*\*: promptly/], not: [/Record absence for placement moves/, /Do not start any formal or disciplinary attendance action/] },
  },
  busheyHeath: {
    suspension: { shows: [/agreed with the parents and with social care/, /Source: Bushey Heath Primary School, .*"Alternative Provision"/], not: [/Not yet tried/] },
    attendance: { shows: [/Source: Bushey Heath Primary School, .*"Attendance"/], not: [/Tell the Virtual School of the placing authority \(Hertfordshire \(919\)\) about the attendance concern/] },
  },
  holyFamily: {
    suspension: { shows: [/risk assessment focused on this child/, /Source: The Holy Family Catholic Primary School, .*"Suspensions and Exclusion"/], not: [/Not yet tried/] },
    attendance: { shows: [/\*\*Virtual School\*\*: promptly/], not: [/Record absence for placement moves/] },
  },
  offord: {
    suspension: { shows: [/Source: Offord Primary School, .*"Exclusions"/], not: [/risk assessment focused on this child/, /Not yet tried/] },
    attendance: { shows: [/Record absence for placement moves/, /Source: Offord Primary School, .*"Attendance and Punctuality"/], not: [/Do not start any formal or disciplinary attendance action/] },
  },
  cambridgeshireModel: {
    suspension: { shows: [/Source: Cambridgeshire model policy .*"3.4 Exclusions"/], not: [/risk assessment focused on this child/] },
    attendance: { shows: [/Do not start any formal or disciplinary attendance action/], not: [/Record absence for placement moves/] },
  },
};

const OTHER_SCHOOLS = (id: PolicyProfileId) => POLICY_PROFILE_IDS.filter((o) => o !== id).map((o) => POLICY_PROFILES[o].document);

describe.each(POLICY_PROFILE_IDS.map((id) => [id] as const))('the demo school under the %s profile, through the bot', (id) => {
  it('a suspension risk for a child in care: the Virtual School before any decision, and this school\'s own rules', async () => {
    const h = await createHarness({ policy: id });
    await h.say('suspension', 'dt');
    await h.say(pickSam, 'dt');
    await h.say('He ran out of the hall during assembly and would not come back in.', 'dt');
    await h.say(tried, 'dt');
    const replies = await h.say('no', 'dt');
    const card = lastCard(replies);
    expect(questionOf(card)).toBe('confirm');
    const text = cardText(card);
    expect(text).toMatch(/\*\*Virtual School\*\*: before any decision/);
    expect(text).toMatch(/Contact the Virtual School of the placing authority \(Hertfordshire \(919\)\)/);
    for (const shown of EXPECT[id].suspension.shows) expect(text).toMatch(shown);
    for (const absent of EXPECT[id].suspension.not) expect(text).not.toMatch(absent);
    for (const other of OTHER_SCHOOLS(id)) expect(text).not.toContain(other);
  });

  it('an attendance concern for a child in care: this school\'s contacts, with their sources', async () => {
    const h = await createHarness({ policy: id });
    await h.say('attendance', 'dt');
    await h.say(pickSam, 'dt');
    const card = lastCard(await h.say(attendanceDetails, 'dt'));
    expect(questionOf(card)).toBe('confirm');
    const text = cardText(card);
    expect(text).toMatch(/\*\*Social worker\*\*: promptly/);
    for (const shown of EXPECT[id].attendance.shows) expect(text).toMatch(shown);
    for (const absent of EXPECT[id].attendance.not) expect(text).not.toMatch(absent);
    for (const other of OTHER_SCHOOLS(id)) expect(text).not.toContain(other);
  });
});
