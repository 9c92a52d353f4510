import { SchoolCalendar } from '../../policy/calendar';
import { isoDate } from '../../policy/dates';
import { latestPep, pepStatus } from '../../policy/pep';
import { pepWords } from '../../policy/pepWords';
import { CLA, profile, pupil } from './fixtures';

const cal = new SchoolCalendar(profile('leys').calendar);
const words = (peps: string[], today: string, onRollSince?: string) => {
  const child = pupil([CLA], { peps: peps.map((date) => ({ date })), ...(onRollSince ? { onRollSince } : {}) });
  const status = pepStatus(child, latestPep(child, undefined), cal, isoDate(today), 10)!;
  return pepWords(status, isoDate(today));
};

/**
 * What the dashboard says of a child's PEP (issue 18: "Overdue, by Fri 18 Dec 2026" shown on
 * 23 November): "Overdue since" names a date that has passed, "Due by" one still to come.
 */
describe('PEP words whose dates cannot contradict them', () => {
  it.each([
    ['none last term either: overdue since last term ended, not "by" this term’s end', ['2026-02-05'], '2026-11-23', undefined, 'Overdue since Wed 22 Jul 2026'],
    ['none yet this term', ['2026-07-01'], '2026-11-23', undefined, 'Due by Fri 18 Dec 2026'],
    ['ten school days before the end of term', ['2026-07-01'], '2026-12-04', undefined, 'Due soon: by Fri 18 Dec 2026'],
    ['held this term', ['2026-10-06'], '2026-11-23', undefined, 'Up to date: held Tue 6 Oct 2026'],
    ['a new starter within their 10 school days', [], '2026-11-25', '2026-11-23', 'New PEP due by Mon 7 Dec 2026'],
    ['a new starter past their 10 school days', [], '2026-12-08', '2026-11-23', 'Overdue since Mon 7 Dec 2026'],
  ])('%s', (_label, peps, today, onRollSince, expected) => {
    expect(words(peps, today, onRollSince)).toBe(expected);
  });

  it('never says "overdue" with a date to come, whatever the state says', () => {
    expect(pepWords({ state: 'overdue', dueBy: isoDate('2026-12-18') }, isoDate('2026-11-23'))).toBe('Due by Fri 18 Dec 2026');
    expect(pepWords({ state: 'dueThisTerm', dueBy: isoDate('2026-11-20') }, isoDate('2026-11-23'))).toBe('Overdue since Fri 20 Nov 2026');
  });
});
