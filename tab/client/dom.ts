/**
 * The page's small DOM helpers. Every text is set with textContent (or as a text node), never as
 * HTML, so nothing typed by staff or imported from the register can run as markup.
 */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string | null | undefined>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node as T;
}

export function setStatus(text: string): void {
  byId('status').textContent = text;
}

export function show(...nodes: Array<Node | null>): void {
  const view = byId('view');
  view.replaceChildren(...nodes.filter((n): n is Node => n !== null));
}

export function showError(message: string): void {
  setStatus('');
  show(el('p', { class: 'error', role: 'alert' }, message));
}

const dayParts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
const timeParts = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' });

/** "Mon 23 Nov 2026", put together from its parts: the server's words (policy/dates.ts formatDate) have no comma, and neither may the page. */
function dayText(instant: Date): string {
  const part = (type: Intl.DateTimeFormatPartTypes) => dayParts.formatToParts(instant).find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** "2026-11-23" is a date in school (London), not an instant. */
export function formatDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return dayText(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** "Mon 23 Nov 2026, 09:04" in London time, as the server writes it (formatLondonDateTime). */
export function formatInstant(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${dayText(t)}, ${timeParts.format(t)}`;
}

/** A table that becomes one card per row on a phone. `notPrinted`: columns of controls, left off a printed page. */
export function table(caption: string, headers: string[], rows: Array<Array<Node | string>>, o: { notPrinted?: readonly string[] } = {}): HTMLTableElement {
  const print = (h: string | undefined): Record<string, string> => (h !== undefined && o.notPrinted?.includes(h) ? { class: 'no-print' } : {});
  return el(
    'table',
    { class: 'responsive' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col', ...print(h) }, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c, i) => el('td', { 'data-label': headers[i] ?? '', ...print(headers[i]) }, c))))),
  );
}

export function facts(pairs: Array<[string, string]>): HTMLDListElement {
  return el('dl', { class: 'facts' }, ...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

/** A labelled form control: the label names it for screen readers, the hint (if any) describes it. */
export function labelled(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const hintId = hint ? `${control.id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return el('div', { class: 'field' }, el('label', { for: control.id }, label), hint ? el('span', { class: 'meta', id: hintId ?? '' }, hint) : null, control);
}

/** A select of value/text pairs with one chosen. */
export function select(id: string, options: ReadonlyArray<readonly [string, string]>, chosen = ''): HTMLSelectElement {
  const node = el('select', { id }, ...options.map(([value, text]) => el('option', { value }, text)));
  node.value = chosen;
  return node;
}
