import { formatDate, IsoDate } from './dates';
import { PepStatus } from './pep';

/**
 * A PEP's state in words whose date cannot contradict them: "Overdue since" only with a date that
 * has passed, "Due by" only with one still to come. (An overdue termly PEP has two dates: the missed
 * one's, past, and the next one's, to come; the words name the missed one.)
 */
export function pepWords(status: Pick<PepStatus, 'state' | 'dueBy' | 'overdueSince' | 'lastPep'>, today: IsoDate): string {
  const { state, dueBy } = status;
  switch (state) {
    case 'overdue': {
      const since = status.overdueSince ?? dueBy;
      return since < today ? `Overdue since ${formatDate(since)}` : `Due by ${formatDate(dueBy)}`;
    }
    case 'newPepDue':
      return dueBy < today ? `Overdue since ${formatDate(dueBy)}` : `New PEP due by ${formatDate(dueBy)}`;
    case 'dueSoon':
      return dueBy < today ? `Overdue since ${formatDate(dueBy)}` : `Due soon: by ${formatDate(dueBy)}`;
    case 'dueThisTerm':
      return dueBy < today ? `Overdue since ${formatDate(dueBy)}` : `Due by ${formatDate(dueBy)}`;
    case 'ok':
      return status.lastPep ? `Up to date: held ${formatDate(status.lastPep)}` : 'Up to date';
  }
}
