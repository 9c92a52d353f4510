/**
 * The dashboard's "This week": the weekly digest's figures (policy/digest.ts, the same figures as the
 * leadership channel's card and the governors' report), drawn as bars on whole-number scales and
 * attendance as a line over the weeks, every number in text as well.
 */
import { el, facts, formatDay, setStatus, show, showError } from './dom.js';
import { Session } from './session.js';

interface Count {
  value: number | null;
  display: string;
  suppressed: boolean;
}

interface AttendancePoint {
  weekOf: string;
  cohortAverage?: number;
  schoolAverage?: number;
}

interface DigestData {
  schoolName: string;
  weekOf: string;
  smallNumbersHidden: boolean;
  cohort: { cla: Count; cpla: Count; cwswCurrent: Count; cwswPast: Count; kinship: Count; total: Count; onRoll: number };
  newCases: { attendance: Count; suspension: Count; admission: Count; total: number };
  awaitingDecision: Array<{ ref: string; detail: string }>;
  overdue: Array<{ ref: string; detail: string }>;
  dueSoon: Array<{ ref: string; detail: string }>;
  peps: { due: Count; overdue: Count };
  attendance: {
    cohortAverage?: number;
    schoolAverage?: number;
    persistent: Count;
    severe: Count;
    withFigures: number;
    persistentMissedPercent: number;
    severeMissedPercent: number;
    weeks: AttendancePoint[];
  };
  suspensions: { count: Count; days: number; repeatedChildren: Count; permanent: Count };
  admissionsInTransition: Count;
  /** Why the digest is not being posted in Teams (no channel chosen, or the app no longer in it); null when it is. */
  notPosted: { reason: string; explanation: string } | null;
}

interface BarRow {
  label: string;
  value: number | null;
  display: string;
  alt?: boolean;
}

const COUNT_STEPS = [1, 2, 5];

/**
 * Whole-number gridlines for counts: steps of 1, 2, 5, 10, 20, 50... so that at most five steps
 * reach past the largest value. A bar chart of children never has a tick at 0.75 of a child.
 */
function countScale(max: number): number[] {
  for (let k = 0; ; k++) {
    const step = COUNT_STEPS[k % 3]! * 10 ** Math.floor(k / 3);
    const steps = Math.ceil(max / step);
    if (steps <= 5) return Array.from({ length: Math.max(1, steps) + 1 }, (_, i) => i * step);
  }
}

/**
 * A labelled bar per figure, from 0, on the scale `ticks` (drawn under the bars). The number is
 * always in text beside its bar, so the chart is never the only way to read it.
 */
function barChart(title: string, rows: BarRow[], ticks: number[] = countScale(Math.max(0, ...rows.map((r) => r.value ?? 0)))): HTMLElement {
  const top = ticks[ticks.length - 1] ?? 1;
  const axis = el('div', { class: 'bar-axis-track', 'aria-hidden': 'true' });
  for (const t of ticks) {
    const tick = el('span', { class: 'bar-tick' }, String(t));
    // Set through the CSSOM, which the Content-Security-Policy allows (inline style attributes it does not).
    tick.style.left = `${(t / top) * 100}%`;
    axis.append(tick);
  }
  return el(
    'figure',
    { class: 'chart' },
    el('figcaption', {}, el('strong', {}, title)),
    ...rows.map((r) => {
      const bar = el('div', { class: r.alt ? 'bar alt' : 'bar' });
      bar.style.width = `${r.value === null ? 0 : Math.min(100, (r.value / top) * 100)}%`;
      return el('div', { class: 'bar-row' }, el('span', {}, r.label), el('div', { class: 'bar-track', 'aria-hidden': 'true' }, bar), el('span', {}, r.display));
    }),
    el('div', { class: 'bar-row bar-axis' }, el('span', {}), axis, el('span', {})),
  );
}

function countRow(label: string, c: Count, alt = false): BarRow {
  return { label, value: c.suppressed ? null : c.value, display: c.display, alt };
}

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: Array<Node | string>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** The bottom of the attendance scale (the card's rule: 75, 50 or 0 below every point; the top is 100). */
function lineFloor(points: AttendancePoint[]): number {
  const lowest = Math.min(...points.flatMap((p) => [p.cohortAverage, p.schoolAverage]).filter((v): v is number => v !== undefined));
  return lowest >= 75 ? 75 : lowest >= 50 ? 50 : 0;
}

function shortDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return shortDateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
}

const shortDateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'Europe/London' });

/**
 * Attendance of the children covered against the whole school, week by week: two lines (solid and
 * dashed, so colour is not the only difference) on whole-number gridlines, and every figure in the
 * table under it for those who do not read the picture.
 */
function attendanceLine(points: AttendancePoint[]): HTMLElement {
  const width = 360;
  const height = 200;
  const left = 40;
  const right = 24;
  const topPad = 10;
  const bottom = 26;
  const floor = lineFloor(points);
  const step = floor === 0 ? 25 : floor === 50 ? 10 : 5;
  const x = (i: number) => left + (points.length === 1 ? 0 : (i * (width - left - right)) / (points.length - 1));
  const y = (v: number) => topPad + ((100 - v) * (height - topPad - bottom)) / (100 - floor);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'line-chart', 'aria-hidden': 'true', focusable: 'false' });
  for (let v = floor; v <= 100; v += step) {
    chart.append(svg('line', { class: 'grid-line', x1: left, x2: width - right, y1: y(v), y2: y(v) }), svg('text', { class: 'tick', x: left - 4, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  points.forEach((p, i) => chart.append(svg('text', { class: 'tick', x: x(i), y: height - 8, 'text-anchor': 'middle' }, shortDay(p.weekOf))));
  const series = (cls: string, pick: (p: AttendancePoint) => number | undefined) => {
    const known = points.flatMap((p, i) => (pick(p) === undefined ? [] : [[x(i), y(pick(p)!)] as const]));
    if (known.length > 1) chart.append(svg('polyline', { class: cls, points: known.map(([a, b]) => `${a},${b}`).join(' ') }));
    for (const [a, b] of known) chart.append(svg('circle', { class: cls, cx: a, cy: b, r: 3 }));
  };
  series('series-cohort', (p) => p.cohortAverage);
  series('series-school', (p) => p.schoolAverage);
  const pct = (v: number | undefined) => (v === undefined ? 'not shown' : `${v}%`);
  return el(
    'figure',
    { class: 'chart line' },
    el('figcaption', {}, el('strong', {}, `Attendance this year, week by week (scale ${floor} to 100%)`)),
    el('p', { class: 'legend', 'aria-hidden': 'true' }, el('span', { class: 'key key-cohort' }), 'Covered by the policy ', el('span', { class: 'key key-school' }), 'Whole school'),
    chart,
    // Three short columns fit a phone: a plain table, not the dashboard's stacked one.
    el(
      'table',
      { class: 'figures' },
      el('caption', {}, 'The figures, week by week (%)'),
      el('thead', {}, el('tr', {}, ...['Week of', 'Covered by the policy', 'Whole school'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...points.map((p) => el('tr', {}, el('th', { scope: 'row' }, shortDay(p.weekOf)), el('td', {}, pct(p.cohortAverage)), el('td', {}, pct(p.schoolAverage))))),
    ),
  );
}

function refList(title: string, items: Array<{ ref: string; detail: string }>): HTMLElement {
  return el('section', {}, el('h3', {}, `${title} (${items.length})`), items.length ? el('ul', {}, ...items.map((i) => el('li', {}, `${i.ref}: ${i.detail}`))) : el('p', {}, 'None.'));
}

export async function digestView(session: Session): Promise<void> {
  setStatus('Loading this week’s figures…');
  const res = await session.get<DigestData>('/api/tab/digest');
  if (!res.ok) return showError(res.message);
  setStatus('');
  const d = res.data;
  const a = d.attendance;
  const pct = (n: number | undefined) => (n === undefined ? { value: null, display: 'not shown (too few)' } : { value: n, display: `${n}%` });
  show(
    el('h2', {}, `Week of ${formatDay(d.weekOf)}`),
    d.notPosted ? el('p', { class: 'warning' }, el('strong', {}, 'The weekly digest is not being posted in Teams. '), d.notPosted.explanation) : null,
    el('p', { class: 'meta' }, d.smallNumbersHidden ? 'Numbers only, as posted to the senior leadership team. Groups of 1 or 2 children are shown as “fewer than 3”.' : 'Numbers only. You see every count as it is; in the leadership channel groups of 1 or 2 children are shown as “fewer than 3”.'),
    el(
      'div',
      { class: 'grid' },
      barChart(`Children covered by the policy, by status (${d.cohort.total.display} of ${d.cohort.onRoll} on roll)`, [
        countRow('In care', d.cohort.cla),
        countRow('Previously in care', d.cohort.cpla),
        countRow('Social worker now', d.cohort.cwswCurrent),
        countRow('Social worker before', d.cohort.cwswPast),
        countRow('Kinship care', d.cohort.kinship),
      ]),
      barChart(`New concerns this week (${d.newCases.total})`, [
        countRow('Attendance', d.newCases.attendance, true),
        countRow('Suspension risk', d.newCases.suspension, true),
        countRow('New admission', d.newCases.admission, true),
      ]),
      a.weeks.length >= 2
        ? attendanceLine(a.weeks)
        : barChart(
            'Attendance this year, %',
            [
              { label: 'Covered by the policy', ...pct(a.cohortAverage) },
              { label: 'Whole school', ...pct(a.schoolAverage), alt: true },
            ],
            [0, 25, 50, 75, 100],
          ),
      barChart('Suspensions this term', [countRow('Suspensions', d.suspensions.count), countRow('Suspended more than once', d.suspensions.repeatedChildren), countRow('Permanent exclusions', d.suspensions.permanent)]),
    ),
    facts([
      [`Persistently absent (${a.persistentMissedPercent}%+ missed), of the children covered`, a.persistent.display],
      [`of whom severely absent (${a.severeMissedPercent}%+)`, a.severe.display],
      ['Suspension days this term', String(d.suspensions.days)],
      ['PEPs due', d.peps.due.display],
      ['PEPs overdue', d.peps.overdue.display],
      ['Admissions in transition', d.admissionsInTransition.display],
    ]),
    refList('Waiting for a decision', d.awaitingDecision),
    refList('Overdue', d.overdue),
    refList('Due in the next week', d.dueSoon),
  );
}
