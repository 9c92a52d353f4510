import { pepReminderCard } from '../cards/pepCard';
import { cardReply } from '../cards/cardReply';
import { pupilLabel } from '../policy/pupil';
import { SchoolCalendar } from '../policy/calendar';
import { formatDate, IsoDate, londonDate, londonMinutesOfDay } from '../policy/dates';
import { latestPep, pepStatus } from '../policy/pep';
import { cohortFlags } from '../policy/pupil';
import { SchoolProfile } from '../policy/schoolProfile';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PepRepository } from '../storage/pepRepository';
import { errorSummary } from '../telemetry/errors';
import { JobDeps } from './jobDeps';
import { ProactiveSender } from '../delivery/proactive';
import { PupilDirectory } from '../services/pupilDirectory';

/**
 * Reminds the Designated Teacher when a child in care has no PEP meeting this term and the term
 * ends within the school's reminder window (default 10 school days), when one is overdue, and
 * when a new starter's first PEP is due. Each reminder is claimed first (create-only row), so it is
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

  async runOnce(): Promise<number> {
    let sent = 0;
    for (const school of await this.deps.schools()) sent += await this.forSchool(school);
    return sent;
  }

  private async forSchool(school: SchoolProfile): Promise<number> {
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
      const status = pepStatus(pupil, latestPep(pupil, latest.get(pupil.id)), calendar, today, school.thresholds.pepReminderSchoolDays);
      if (!status || status.state === 'ok' || status.state === 'dueThisTerm') continue;
      if (!(await this.deps.peps.claimReminder(school.id, term, pupil.id, status.state))) continue;
      const card = pepReminderCard({ child: pupilLabel(pupil), state: status.state, dueBy: formatDate(status.dueBy), ...(status.lastPep ? { lastPep: formatDate(status.lastPep as IsoDate) } : {}) });
      let delivered = 0;
      for (const dt of dts) {
        const ref = await this.deps.conversationRefs.findPersonal(school.tenantId, dt.aadObjectId);
        if (!ref) continue;
        try {
          await this.deps.sender.send(ref, cardReply(card));
          delivered++;
        } catch (err) {
          this.deps.logger.warn({ event: 'pepReminderFailed', school: school.id, err: errorSummary(err) }, 'could not send a PEP reminder');
        }
      }
      if (delivered === 0) await this.deps.peps.releaseReminder(school.id, term, pupil.id, status.state);
      else sent++;
    }
    return sent;
  }
}
