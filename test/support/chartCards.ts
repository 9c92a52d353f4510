import { checkCard } from './validateCard';

/**
 * What the `adaptivecards` library finds wrong with a card, less its notice that Teams' charts are
 * unknown to it (they are a Teams extension): those are allowed only with a fallback, which this
 * reports when missing.
 */
export function cardProblems(card: unknown): string[] {
  const errors = checkCard(card).errors.filter((e) => !/Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used if present\./.test(e));
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Chart.') && !o.fallback) errors.push(`${o.type} has no fallback`);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return errors;
}

/** Every element of a card's body of one type, however deeply nested (fallbacks excluded). */
export function elementsOfType(card: unknown, type: string): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === type) found.push(o);
      for (const [k, v] of Object.entries(o)) if (k !== 'fallback') walk(v);
    }
  };
  walk(card);
  return found;
}
