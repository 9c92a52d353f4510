import { IsoDate } from '../policy/dates';
import { GovernorsReport, governorsReport } from '../policy/governorsReport';
import { cohortFlags } from '../policy/pupil';
import { SchoolProfile, Term } from '../policy/schoolProfile';
import { CaseRepository } from '../storage/caseRepository';
import { PepRepository } from '../storage/pepRepository';
import { PupilRepository } from '../storage/pupilRepository';

/**
 * The governors' termly report from storage: the register, each child in care's PEP meetings, and
 * the term's suspensions, read as the weekly digest reads them, so the two give the same figures.
 * As at the term's last day, or `today` if the term has not ended yet.
 */
export async function readGovernorsReport(
  deps: { pupils: PupilRepository; peps: PepRepository; cases: CaseRepository },
  school: SchoolProfile,
  term: Term,
  today: IsoDate,
): Promise<GovernorsReport> {
  const asAt = today < term.end ? today : (term.end as IsoDate);
  const [pupils, suspensions] = await Promise.all([deps.pupils.listBySchool(school.id), deps.cases.suspensionsStartingBetween(school.id, term.start, term.end)]);
  const pepDates = new Map<string, string[]>();
  for (const p of pupils.filter((x) => cohortFlags(x, asAt).cla)) {
    pepDates.set(p.id, [...p.peps.map((m) => m.date), ...(await deps.peps.meetings(school.id, p.id))]);
  }
  return governorsReport({ school, term, pupils, pepDates, suspensions, asAt });
}
