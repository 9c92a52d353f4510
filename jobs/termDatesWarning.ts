import { termDatesEndingCard } from '../cards/settingsCards';
import { formatDate } from '../policy/dates';
import { lastTermDate } from '../policy/termDates';
import { NightlyDeps, NightlyJob } from './nightly';
import { toDsls } from './toStaff';

/** Four weeks before the entered term dates run out, the DSL is told: deadlines after them are only estimates. */
export const TERM_DATES_WARNING_DAYS = 28;

/**
 * Checks every night whether a school's last entered term date is within four weeks, and tells the
 * DSL and deputies once for that date (a lease row per last date: entering new dates moves it, and
 * the next time they run short the DSL is told again).
 */
export class TermDatesWarning extends NightlyJob<NightlyDeps> {
  constructor(deps: NightlyDeps) {
    super(deps, 'termDates');
  }

  async runOnce(): Promise<Array<{ school: string; told: number }>> {
    const results = await this.forEachSchool(async (school, today) => {
      const last = lastTermDate(school.calendar);
      const daysLeft = Math.round((Date.parse(last) - Date.parse(today)) / 86_400_000);
      if (daysLeft > TERM_DATES_WARNING_DAYS) return { told: 0 };
      // Once per last date, whichever night it is first noticed.
      const claim = await this.deps.cases.claimRun(school.id, `warn|termDates|${last}`, 'termDates', this.deps.clock(), 24 * 3600_000);
      if (!claim.claimed || !claim.etag) return { told: 0 };
      const told = await toDsls(this.deps, school, termDatesEndingCard({ schoolName: school.name, lastDate: formatDate(last), weeksLeft: Math.floor(daysLeft / 7) }), 'termDatesWarningNotSent');
      await this.deps.cases.finishRun(school.id, `warn|termDates|${last}`, claim.etag, this.deps.clock(), { told });
      return { told };
    });
    return results.map((r) => ({ school: r.school, told: Number(r.outcome.told) }));
  }
}
