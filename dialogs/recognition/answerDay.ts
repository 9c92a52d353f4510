import { AsyncLocalStorage } from 'node:async_hooks';
import { IsoDate, londonDate } from '../../policy/dates';

/**
 * The London date an answer is read on, so "tomorrow" or "next Monday" typed into any date field
 * means the same day the rest of the product thinks it is (the services' clock, which tests set).
 * Carried in the async context of reading one answer, as the log context carries a request's id:
 * the date schemas are built once, and concurrent conversations cannot see each other's day.
 */
const answerDay = new AsyncLocalStorage<IsoDate>();

export function readingAnswersOn<T>(today: IsoDate, read: () => T): T {
  return answerDay.run(today, read);
}

/** Outside a dialog's reading of an answer (a stored ISO date read back), today by the wall clock. */
export function dayAnswersAreReadOn(): IsoDate {
  return answerDay.getStore() ?? londonDate(new Date());
}
