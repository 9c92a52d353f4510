import { Count, Digest, RefLine } from '../policy/digest';
import { formatDate, IsoDate } from '../policy/dates';
import { adaptiveCard, AdaptiveCard, CardAction, CardElement, facts, heading, paragraph } from './adaptiveCard';

/** Longest list of reference codes shown per section; the rest are counted. */
export const MAX_LINES = 15;

/**
 * A native Teams chart with a plain fallback for clients without charts. Suppressed counts are left
 * out of the chart (a bar of "fewer than 3" would show the number) and named in the fallback.
 */
function barChart(title: string, points: ReadonlyArray<readonly [string, Count]>, fallbackTitle: string): CardElement {
  const shown = points.filter(([, c]) => !c.suppressed);
  return {
    type: 'Chart.VerticalBar',
    title,
    data: shown.map(([x, c]) => ({ x, y: c.value })),
    fallback: { type: 'FactSet', facts: points.map(([x, c]) => ({ title: x, value: c.display })), id: `${fallbackTitle}-fallback` },
  };
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
  const body: CardElement[] = [
    heading(`Weekly digest: children with a social worker, week of ${formatDate(d.weekOf as IsoDate)}`, 'Large'),
    paragraph(`${d.schoolName}. Numbers and reference codes only; counts of 1 or 2 are shown as "fewer than 3".`, { isSubtle: true }),

    heading('On roll'),
    facts([
      ['In care', d.cohort.cla.display],
      ['Previously in care', d.cohort.cpla.display],
      ['With a social worker now', d.cohort.cwswCurrent.display],
      ['Had one in the last 6 years', d.cohort.cwswPast.display],
      ['Kinship care', d.cohort.kinship.display],
      ['Children covered by the policy', `${d.cohort.total.display} of ${d.cohort.onRoll} on roll`],
    ]),
    barChart(
      'Children by status',
      [
        ['In care', d.cohort.cla],
        ['Previously in care', d.cohort.cpla],
        ['Social worker now', d.cohort.cwswCurrent],
        ['Social worker before', d.cohort.cwswPast],
        ['Kinship', d.cohort.kinship],
      ],
      'cohort',
    ),

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

    heading('Attendance this year'),
    ...(d.attendance.withFigures > 0
      ? [
          facts([
            ['Children covered by the policy', d.attendance.cohortAverage !== undefined ? `${d.attendance.cohortAverage}%` : 'no figures'],
            ['Whole school', d.attendance.schoolAverage !== undefined ? `${d.attendance.schoolAverage}%` : 'no figures'],
            ['Persistently absent (cohort)', d.attendance.persistent.display],
            ['Severely absent (cohort)', d.attendance.severe.display],
          ]),
          {
            type: 'Chart.VerticalBar',
            title: 'Average attendance, %',
            data: [
              ...(d.attendance.cohortAverage !== undefined ? [{ x: 'Covered by the policy', y: d.attendance.cohortAverage }] : []),
              ...(d.attendance.schoolAverage !== undefined ? [{ x: 'Whole school', y: d.attendance.schoolAverage }] : []),
            ],
            fallback: { type: 'TextBlock', text: 'Charts are not shown in this version of Teams: see the figures above.', isSubtle: true, wrap: true },
          },
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
