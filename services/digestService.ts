import { AdaptiveCard } from '../cards/adaptiveCard';
import { digestCard } from '../cards/digestCard';
import { cardReply } from '../cards/cardReply';
import { SchoolCalendar } from '../policy/calendar';
import { addDays, IsoDate, londonDate } from '../policy/dates';
import { attendanceThisWeek, buildDigest, Digest, LINE_WEEKS, weekStartOf } from '../policy/digest';
import { londonInstant } from '../policy/schoolHours';
import { SchoolProfile } from '../policy/schoolProfile';
import { AttendanceWeek } from '../policy/schoolFigures';
import { AttendanceHistoryRepository } from '../storage/attendanceHistoryRepository';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PepRepository } from '../storage/pepRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';
import { ProactiveSender } from '../delivery/proactive';
import { SchoolDirectory } from './schoolDirectory';

/** Far enough ahead to include every open action. */
const ALL_OPEN = '9999-12-31';

/**
 * Builds the weekly digest from bounded reads only: the register (its current size, not history),
 * this week's range of cases, the open-actions and approvals indexes, each child's latest PEP, the
 * current term's range of suspensions, the pending-notifications index, and the attendance kept
 * for the few weeks the line shows.
 *
 * Each build for the present week keeps that week's attendance figures (group averages only), so
 * the line has the weeks before: the Monday digest, the dashboard's "This week" and `npm run digest`
 * all keep it, the latest build of a week standing for that week.
 */
export class DigestService {
  /** This week's figures as this instance last wrote them, by school (see keepWeek). */
  private readonly keptWeeks = new Map<string, string>();

  constructor(
    private readonly deps: {
      cases: CaseRepository;
      pupils: PupilRepository;
      peps: PepRepository;
      attendanceHistory: AttendanceHistoryRepository;
      conversationRefs: ConversationRefRepository;
      directory: SchoolDirectory;
      sender: ProactiveSender;
      logger: Logger;
      clock: () => Date;
      tabUrl?: string;
    },
  ) {}

  /**
   * `hideSmallNumbers` (the default) shows counts of 1 or 2 as "fewer than 3", for the leadership
   * channel and SLT; false is for readers who may see the children themselves.
   */
  async build(school: SchoolProfile, at: Date, o: { hideSmallNumbers?: boolean } = {}): Promise<{ digest: Digest; card: AdaptiveCard }> {
    const { cases } = this.deps;
    const today = londonDate(at);
    const weekStart = weekStartOf(today, school.digest.weekday);
    const calendar = new SchoolCalendar(school.calendar);
    const term = calendar.termOf(today) ?? [...calendar.allTerms()].reverse().find((t) => t.end < today);
    const [pupils, newCases, approvals, openActions, recordedPeps, termSuspensions, waitingForInstall, attendanceHistory] = await Promise.all([
      this.deps.pupils.listBySchool(school.id),
      cases.casesRaisedBetween(school.id, londonInstant(weekStart, 0), at),
      cases.pendingApprovals(school.id),
      cases.openActionsDueBy(school.id, ALL_OPEN),
      this.deps.peps.latestByPupil(school.id),
      term ? cases.suspensionsStartingBetween(school.id, term.start, term.end) : Promise.resolve([]),
      this.waitingForInstall(school.id),
      this.deps.attendanceHistory.weeks(school.id, addDays(weekStart, -7 * (LINE_WEEKS - 1)), weekStart),
    ]);
    if (this.isPresentWeek(school, weekStart)) await this.keepWeek(school.id, attendanceThisWeek({ school, pupils, today, weekStart }));
    const digest = buildDigest({
      school,
      now: at,
      today,
      weekStart,
      pupils,
      newCases,
      awaitingDecision: approvals.map((a) => ({ ref: a.ref, raisedAt: a.raisedAt })),
      openActions,
      recordedPeps,
      termSuspensions,
      waitingForInstall,
      attendanceHistory,
      hideSmallNumbers: o.hideSmallNumbers ?? true,
    });
    return { digest, card: digestCard(digest, this.deps.tabUrl) };
  }

  /**
   * Keeps this week's figures for the digest's line. Every build asks (the tab's "This week" view
   * too), but the row is written only when the figures differ from what this instance last wrote,
   * so viewing the digest does not write on every view.
   */
  private async keepWeek(schoolId: string, week: AttendanceWeek): Promise<void> {
    const figures = JSON.stringify(week);
    if (this.keptWeeks.get(schoolId) === figures) return;
    try {
      await this.deps.attendanceHistory.record(schoolId, week, this.deps.clock());
      this.keptWeeks.set(schoolId, figures);
    } catch (err) {
      // The line is a nicety: a digest that could not keep its week is still the digest.
      this.deps.logger.warn({ event: 'attendanceWeekNotKept', school: schoolId, err: errorSummary(err) }, "this week's attendance figures could not be kept for the digest's line");
    }
  }

  /** A digest asked for another week (a dry run at a chosen time) must not keep today's register as that week's. */
  private isPresentWeek(school: SchoolProfile, weekStart: IsoDate): boolean {
    return weekStartOf(londonDate(this.deps.clock()), school.digest.weekday) === weekStart;
  }

  /** Posts the digest into the school's SLT channel; false (and a log line) if there is no channel to post to. */
  async post(school: SchoolProfile, at: Date): Promise<DigestPostOutcome> {
    const channel = school.digest.channelConversationId;
    if (!channel) {
      this.deps.logger.warn({ event: 'digestNoChannel', school: school.id, reason: 'noChannel' }, 'no leadership channel chosen: digest not posted');
      return { posted: false, reason: 'noChannel', explanation: DIGEST_NOT_POSTED.noChannel };
    }
    const ref = await this.deps.conversationRefs.findConversation(school.tenantId, channel);
    if (!ref) {
      this.deps.logger.warn({ event: 'digestNoChannel', school: school.id, reason: 'appNotInChannel' }, 'the app is not in the chosen leadership channel: digest not posted');
      return { posted: false, reason: 'appNotInChannel', explanation: DIGEST_NOT_POSTED.appNotInChannel };
    }
    const { card } = await this.build(school, at);
    await this.deps.sender.send(ref, cardReply(card));
    this.deps.logger.info({ event: 'digestPosted', school: school.id }, 'weekly digest posted');
    return { posted: true };
  }

  private async waitingForInstall(schoolId: string): Promise<number> {
    let n = 0;
    for (const id of await this.deps.cases.pendingNotificationIds(schoolId)) {
      const note = await this.deps.cases.getNotification(schoolId, id);
      if (note?.channel === 'teams' && note.delivery?.waitingForInstall) n++;
    }
    return n;
  }
}

export type DigestPostOutcome = { posted: true } | { posted: false; reason: keyof typeof DIGEST_NOT_POSTED; explanation: string };

/** Why a digest was not posted, in the words the DSL, the headteacher and the IT lead read. */
export const DIGEST_NOT_POSTED = {
  noChannel:
    'No channel is chosen for the weekly digest yet. Add the app to the senior leadership team in Teams: it posts a card in the channel, and the DSL or headteacher presses "Use this channel for the weekly digest".',
  appNotInChannel:
    'The channel chosen for the digest is not one the app is in any more (it was removed from that team, or the channel was deleted). Add the app to the leadership team again and choose the channel from its card.',
} as const;

/** The most recent scheduled time (the profile's weekday and time, London) at or before `now`. */
export function lastScheduled(now: Date, weekday: number, time: string): Date {
  const minutes = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  let date = weekStartOf(londonDate(now), weekday);
  let instant = londonInstant(date, minutes);
  if (instant > now) {
    date = addDays(date, -7);
    instant = londonInstant(date, minutes);
  }
  return instant;
}
