import { SchoolRuleId } from './schoolRules';

/** One sentence of a school's own policy, as it stands in the document. */
export interface PolicyQuote {
  section: string;
  quote: string;
}

/**
 * A school's policy as data: its document and, for each rule of the catalogue it states, the
 * sentence that states it. What it does not state, the plan does not do (beyond the statutory base).
 */
export interface PolicyProfile {
  id: string;
  /** How a school picks it in its profile and in `npm start` (DEMO_POLICY). */
  label: string;
  county: 'Hertfordshire' | 'Cambridgeshire';
  /** The document every citation of this profile names. */
  document: string;
  /** Its copy in policy/seeds/, checked by the tests. */
  file: string;
  rules: Partial<Record<SchoolRuleId, PolicyQuote>>;
}

export const quote = (section: string, text: string): PolicyQuote => ({ section, quote: text });
