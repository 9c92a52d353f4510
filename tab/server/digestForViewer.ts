import { Role } from '../../policy/roles';
import { mayUse } from '../../policy/tabAccess';

/**
 * Small-number hiding ("fewer than 3") protects children from people who may not know who they are:
 * the senior leadership team's channel, and SLT members in the tab. The DSL, deputies, DT and
 * headteacher open those children's records anyway, so hiding their own school's numbers from them
 * only gets in the way of their work: they see every count as it is.
 */
export function seesChildren(roles: readonly Role[]): boolean {
  return mayUse(roles, 'cohort');
}

/** The digest's figures as this viewer may see them, and whether small numbers were hidden. */
export function digestForViewer(digest: unknown, roles: readonly Role[]): { figures: unknown; smallNumbersHidden: boolean } {
  return seesChildren(roles) ? { figures: withFullNumbers(digest), smallNumbersHidden: false } : { figures: withoutSmallNumbers(digest), smallNumbersHidden: true };
}

/** A count's shape in the digest (policy/digest.ts `Count`): its true value, how it is shown, and whether that hides it. */
function isCount(value: object): value is { value: unknown; display: unknown; suppressed: unknown } {
  return 'suppressed' in value && 'display' in value && 'value' in value;
}

function mapCounts(value: unknown, each: (count: { value: unknown; display: unknown; suppressed: unknown }) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapCounts(v, each));
  if (typeof value !== 'object' || value === null) return value;
  if (isCount(value)) return each(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapCounts(v, each)]));
}

/**
 * The digest's counts carry their true value for the card's own arithmetic; a count shown as
 * "fewer than 3" must not carry it to the browser, where anyone could read it.
 */
export function withoutSmallNumbers(value: unknown): unknown {
  return mapCounts(value, (c) => ({ ...c, value: c.suppressed === true ? null : c.value }));
}

/** Every count as the number it is. */
export function withFullNumbers(value: unknown): unknown {
  return mapCounts(value, (c) => (c.suppressed === true && typeof c.value === 'number' ? { ...c, display: String(c.value), suppressed: false } : c));
}
