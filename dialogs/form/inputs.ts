import { z } from 'zod';
import { IsoDate } from '../../policy/dates';
import { dayAnswersAreReadOn } from '../recognition/answerDay';
import { readDate } from '../recognition/dates';

/**
 * Card inputs arrive as strings (Teams submits "" for an empty box and "a,b" for a multi-select);
 * these turn them into typed values with messages a teacher understands.
 */
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export const optionalText = (max: number, label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max, `${label} is too long (at most ${max} characters)`).optional(),
  );

export const requiredText = (max: number, message: string) => z.string({ error: message }).trim().min(1, message).max(max, `That is too long (at most ${max} characters).`);

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A number in a range, never changed to fit it: a value outside is refused with the range, so
 * the person says what they meant (a card's own min and max let some clients clamp it unseen,
 * which is why the cards carry the range in their labels instead). Only plain decimals are
 * numbers here ("1e3", "0x10" and " " are not), and `unit` may follow them ("72%").
 */
export const optionalNumber = (min: number, max: number, label: string, unit = '') => {
  const range = `${label} must be between ${min} and ${max}${unit}`;
  return z.preprocess(
    (v) => {
      if (typeof v !== 'string') return blankToUndefined(v);
      const t = v.trim();
      if (t === '') return undefined;
      const bare = unit && t.endsWith(unit) ? t.slice(0, -unit.length).trim() : t;
      return DECIMAL.test(bare) ? Number(bare) : v;
    },
    z.number({ error: `${label} must be a number` }).min(min, range).max(max, range).optional(),
  );
};

export const csvOf = <T extends string>(values: readonly T[], label: string) => {
  const allowed = new Set<string>(values);
  return z.preprocess(
    (v) => (v === undefined || v === '' ? [] : typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
    z
      .array(z.string().refine((s): s is T => allowed.has(s), { message: `${label}: please choose from the list` }))
      .max(values.length)
      .transform((list) => [...new Set(list)] as T[]),
  );
};

export const boolString = z.preprocess((v) => (v === 'true' ? true : v === 'false' || v === undefined || v === '' ? false : v), z.boolean());

/**
 * A day, from a card's date picker (ISO) or typed the British way ("7/12", "7th December", "next
 * Monday"), read on the London date of the answer. A date that could be more than one day, or is
 * no day at all, is refused with the reason and an example; the value kept is always ISO.
 */
export const dateString = (label: string) =>
  z
    .string({ error: `${label} is needed` })
    .trim()
    .min(1, `${label} is needed`)
    .transform((s, ctx): IsoDate => {
      const read = readDate(s, dayAnswersAreReadOn());
      if (read.ok) return read.date;
      ctx.addIssue({ code: 'custom', message: `${label}: ${read.problem}` });
      return z.NEVER;
    });

export const optionalDate = (label: string) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : blankToUndefined(v)), dateString(label).optional());
