import { AdaptiveCard } from '../cards/adaptiveCard';
import { pepReminderCard, sdqReminderCard } from '../cards/pepCard';
import { citationText } from '../policy/profiles/citations';
import { sdqDue } from '../policy/sdq';
import { schoolYearStart } from '../policy/suspensionHistory';
import { cardReply } from '../cards/cardReply';
import { pupilLabel } from '../policy/pupil';
import { SchoolCalendar } from '../policy/calendar';
import { formatDate, IsoDate, londonDate, londonMinutesOfDay } from '../policy/dates';
import { latestPep, pepStatus } from '../policy/pep';
import { cohortFlags } from '../policy/pupil';
import { schoolPolicy, SchoolProfile, StaffMember } from '../policy/schoolProfile';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PepRepository } from '../storage/pepRepository';
import { errorSummary } from '../telemetry/errors';
import { JobDeps } from './jobDeps';
import { ProactiveSender } from '../delivery/proactive';
import { PupilDirectory } from '../services/pupilDirectory';

/**
 * Reminds the Designated Teacher when a child in care has no PEP meeting this term and the term
 * ends within the school's reminder window (default 10 school days), when one is overdue, when a
 * new starter's or a child newly in care's first PEP is due, and when the annual SDQ is due. Each reminder is claimed first (create-only row), so it is
 * sent once however many instances run; a failed send releases the claim for the next pass.
 */
export class PepReminders {
  constructor(
    private readonly deps: JobDeps & {
      pupils: PupilDirectory;
      peps: PepRepository;
      conversationRefs: ConversationRefRepository;
      sender: ProactiveSender;
    },
  ) {}

  /** `signal`: the instance is stopping; the pass ends after the child in hand (each reminder is claimed before it is sent). */
  async runOnce(signal?: AbortSignal): Promise<number> {
    let sent = 0;
    for (const school of await this.deps.schools()) {
      if (signal?.aborted) break;
      sent += await this.forSchool(school, signal);
    }
    return sent;
  }

  private async forSchool(school: SchoolProfile, signal?: AbortSignal): Promise<number> {
    const now = this.deps.clock();
    const today = londonDate(now);
    const calendar = new SchoolCalendar(school.calendar);
    const opens = Number(school.schoolDay.start.slice(0, 2)) * 60 + Number(school.schoolDay.start.slice(3));
    if (!calendar.isSchoolDay(today) || londonMinutesOfDay(now) < opens) return 0;
    const term = calendar.termOf(today)?.name ?? 'holiday';
    const latest = await this.deps.peps.latestByPupil(school.id);
    const dts = school.staff.filter((s) => s.roles.includes('DT'));
    let sent = 0;
    for (const pupil of (await this.deps.pupils.all(school.id)).filter((p) => cohortFlags(p, today).cla)) {
      if (signal?.aborted) break;
      const status = pepStatus(pupil, latestPep(pupil, latest.get(pupil.id)), calendar, today, school.thresholds.pepReminderSchoolDays);
      if (!status || status.state === 'ok' || status.state === 'dueThisTerm') continue;
      if (!(await this.deps.peps.claimReminder(school.id, term, pupil.id, status.state))) continue;
      const card = pepReminderCard({ child: pupilLabel(pupil), state: status.state, reason: status.reason, dueBy: formatDate(status.dueBy), ...(status.lastPep ? { lastPep: formatDate(status.lastPep as IsoDate) } : {}) });
      if ((await this.toDesignatedTeachers(school, dts, card)) === 0) await this.deps.peps.releaseReminder(school.id, term, pupil.id, status.state);
      else sent++;
    }
    // The annual SDQ of each child in care, once a school year.
    const policy = schoolPolicy(school);
    const year = `sdq-${schoolYearStart(today)}`;
    for (const pupil of (await this.deps.pupils.all(school.id)).filter((p) => cohortFlags(p, today).cla)) {
      if (signal?.aborted) break;
      const sdq = sdqDue(pupil, today, policy);
      if (!sdq || !(await this.deps.peps.claimReminder(school.id, year, pupil.id, 'sdq'))) continue;
      const card = sdqReminderCard({ child: pupilLabel(pupil), ...(sdq.last ? { lastSdq: formatDate(sdq.last) } : {}), sources: sdq.sources.map(citationText) });
      if ((await this.toDesignatedTeachers(school, dts, card)) === 0) await this.deps.peps.releaseReminder(school.id, year, pupil.id, 'sdq');
      else sent++;
    }
    return sent;
  }

  /** Sends a card to each Designated Teacher who has the app; how many got it. */
  private async toDesignatedTeachers(school: SchoolProfile, dts: readonly StaffMember[], card: AdaptiveCard): Promise<number> {
    let delivered = 0;
    for (const dt of dts) {
      const ref = await this.deps.conversationRefs.findPersonal(school.tenantId, dt.aadObjectId);
      if (!ref) continue;
      try {
        await this.deps.sender.send(ref, cardReply(card));
        delivered++;
      } catch (err) {
        this.deps.logger.warn({ event: 'pepReminderFailed', school: school.id, err: errorSummary(err) }, 'could not send a PEP or SDQ reminder');
      }
    }
    return delivered;
  }
}
