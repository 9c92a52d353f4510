import { AttendancePoint, Count, Digest, RefLine } from '../policy/digest';
import { formatDate, IsoDate } from '../policy/dates';
import { adaptiveCard, AdaptiveCard, CardAction, CardElement, facts, heading, paragraph } from './adaptiveCard';

/** Longest list of reference codes shown per section; the rest are counted. */
export const MAX_LINES = 15;

const NO_CHARTS = 'Charts are not shown in this version of Teams: the figures are above.';

/**
 * Counts as horizontal bars with no axis: Teams draws a vertical bar chart's axis in five even
 * steps from 0 to the largest value, so 3 children get ticks at 0.75 and 1.5, and cuts its labels
 * short ("Previous…"). Here each bar starts at 0, carries its whole number, and has its short label
 * above it on the card's full width; the full words and every number are in the facts above.
 * Counts shown as "fewer than 3" are left out: a bar would show the number.
 */
function countBars(title: string, points: ReadonlyArray<readonly [string, Count]>): CardElement {
  return {
    type: 'Chart.HorizontalBar',
    title,
    displayMode: 'AbsoluteNoAxis',
    color: 'categoricalTeal',
    data: points.filter(([, c]) => !c.suppressed && c.value > 0).map(([x, c]) => ({ x, y: c.value })),
    fallback: paragraph(NO_CHARTS, { isSubtle: true }),
  };
}

/** "9 Nov": short enough for eight weeks side by side on a phone; the full date is in the figures. */
function shortDay(date: IsoDate): string {
  const [, day, month] = formatDate(date).split(' ');
  return `${day} ${month}`;
}

/**
 * The scale of the attendance line: the top is 100%, the bottom the highest of 75, 50 or 0 below
 * every point. Each gives whole-number gridlines in Teams (75 to 100 in fives, 50 to 100 in tens, 0
 * to 100 in quarters); a line, unlike a bar, need not start at 0 to be read fairly, and a few points
 * around the 90% threshold are what the reader needs to tell apart.
 */
export function lineFloor(points: readonly AttendancePoint[]): 0 | 50 | 75 {
  const lowest = Math.min(...points.flatMap((p) => [p.cohortAverage, p.schoolAverage]).filter((v): v is number => v !== undefined));
  return lowest >= 75 ? 75 : lowest >= 50 ? 50 : 0;
}

const pct = (v: number | undefined) => (v === undefined ? 'not shown' : `${v}%`);

/** Attendance of the children covered against the whole school, week by week, once there are two weeks to join. */
function attendanceLine(points: readonly AttendancePoint[]): CardElement[] {
  if (points.length < 2) {
    return [paragraph('The line of attendance week by week starts once a second week has been recorded.', { isSubtle: true })];
  }
  const series = (legend: string, color: string, pick: (p: AttendancePoint) => number | undefined) => ({
    legend,
    color,
    values: points.flatMap((p) => (pick(p) === undefined ? [] : [{ x: shortDay(p.weekOf), y: pick(p)! }])),
  });
  const floor = lineFloor(points);
  const weekly = facts(points.map((p) => [`Week of ${formatDate(p.weekOf)}`, `${pct(p.cohortAverage)} covered, ${pct(p.schoolAverage)} whole school`]));
  return [
    {
      type: 'Chart.Line',
      title: `Attendance this year, % (scale ${floor} to 100), week by week`,
      yMin: floor,
      yMax: 100,
      data: [series('Covered by the policy', 'categoricalTeal', (p) => p.cohortAverage), series('Whole school', 'categoricalPurple', (p) => p.schoolAverage)].filter((s) => s.values.length > 0),
      fallback: weekly,
    },
    { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'Show the figures week by week', targetElements: ['attendance-weeks'] }] },
    { type: 'Container', id: 'attendance-weeks', isVisible: false, items: [weekly] },
  ];
}

function refLines(lines: readonly RefLine[], tabUrl: string | undefined): CardElement[] {
  const shown = lines.slice(0, MAX_LINES).map((l) =>
    // Reference codes only: a permitted reader opens the case in the tab; the channel learns nothing more.
    paragraph(`${tabUrl ? `[${l.ref}](${tabUrl}?ref=${encodeURIComponent(l.ref)})` : `**${l.ref}**`}: ${l.detail}`, { spacing: 'None' }),
  );
  if (lines.length > MAX_LINES) shown.push(paragraph(`and ${lines.length - MAX_LINES} more (see the dashboard)`, { isSubtle: true, spacing: 'None' }));
  return shown.length ? shown : [paragraph('None.', { isSubtle: true, spacing: 'None' })];
}

export function digestCard(d: Digest, tabUrl?: string): AdaptiveCard {
  const a = d.attendance;
  const body: CardElement[] = [
    heading(`Weekly digest: children with a social worker, week of ${formatDate(d.weekOf as IsoDate)}`, 'Large'),
    paragraph(`${d.schoolName}. Numbers and reference codes only${d.smallNumbersHidden ? '; counts of 1 or 2 are shown as "fewer than 3"' : ''}.`, { isSubtle: true }),

    heading('On roll'),
    facts([
      ['In care', d.cohort.cla.display],
      ['Previously in care', d.cohort.cpla.display],
      ['With a social worker now', d.cohort.cwswCurrent.display],
      ['Had one in the last 6 years', d.cohort.cwswPast.display],
      ['Kinship care', d.cohort.kinship.display],
      ['Children covered by the policy', `${d.cohort.total.display} of ${d.cohort.onRoll} on roll`],
    ]),
    countBars('Children covered by the policy, by status', [
      ['In care', d.cohort.cla],
      ['Previously in care', d.cohort.cpla],
      ['Social worker now', d.cohort.cwswCurrent],
      ['Social worker before', d.cohort.cwswPast],
      ['Kinship care', d.cohort.kinship],
    ]),

    heading('This week'),
    facts([
      ['New concerns', String(d.newCases.total)],
      ['Attendance', d.newCases.attendance.display],
      ['Suspension worries', d.newCases.suspension.display],
      ['Admissions', d.newCases.admission.display],
      ['Admissions in transition', d.admissionsInTransition.display],
    ]),

    heading(`Waiting for a DSL decision (${d.awaitingDecision.length})`),
    ...refLines(d.awaitingDecision, tabUrl),
    heading(`Overdue (${d.overdue.length} cases)`),
    ...refLines(d.overdue, tabUrl),
    heading(`Due in the next 5 school days (${d.dueSoon.length} cases)`),
    ...refLines(d.dueSoon, tabUrl),

    heading('Personal education plans (children in care)'),
    facts([
      ['Due this term', d.peps.due.display],
      ['Overdue', d.peps.overdue.display],
    ]),

    heading('Attendance this school year'),
    ...(a.withFigures > 0
      ? [
          facts([
            ['Average, children covered by the policy', a.cohortAverage !== undefined ? `${a.cohortAverage}%` : 'not shown (too few)'],
            ['Average, whole school', a.schoolAverage !== undefined ? `${a.schoolAverage}%` : 'not shown (too few)'],
            [`Persistently absent (${a.persistentMissedPercent}%+ missed), of the children covered`, a.persistent.display],
            [`of whom severely absent (${a.severeMissedPercent}%+)`, a.severe.display],
          ]),
          ...attendanceLine(a.weeks),
        ]
      : [paragraph('No attendance figures in the register yet.', { isSubtle: true })]),

    heading('Suspensions this term'),
    facts([
      ['Suspensions', d.suspensions.count.display],
      ['School days lost', d.suspensions.count.suppressed ? 'not shown' : String(d.suspensions.days)],
      ['Children suspended more than once', d.suspensions.repeatedChildren.display],
      ['Permanent exclusions', d.suspensions.permanent.display],
    ]),
  ];
  if (d.waitingForInstall > 0) {
    body.push(paragraph(`${d.waitingForInstall} card${d.waitingForInstall === 1 ? '' : 's'} could not reach staff who have not installed the app yet.`, { color: 'Attention' }));
  }
  const actions: CardAction[] = tabUrl ? [{ type: 'Action.OpenUrl', title: 'Open the dashboard', url: tabUrl }] : [];
  return adaptiveCard(body, actions, { fallbackText: `Weekly digest for the week of ${d.weekOf}.` });
}
