import { z } from 'zod';
import { isIsoDate, IsoDate } from '../../policy/dates';

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

export const optionalNumber = (min: number, max: number, label: string) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `${label} must be a number` })
      .min(min, `${label} must be at least ${min}`)
      .max(max, `${label} must be at most ${max}`)
      .optional(),
  );

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

export const dateString = (label: string) =>
  z
    .string({ error: `${label} is needed` })
    .trim()
    .refine(isIsoDate, { message: `${label} must be a date (for example 2026-11-23)` })
    .transform((s) => s as IsoDate);

export const optionalDate = (label: string) => z.preprocess(blankToUndefined, dateString(label).optional());
