import { ResolvedPolicy } from './profiles';
import { CohortFlags } from './pupil';

/**
 * Whether a school's policy covers a child. Every school: children looked after and previously
 * looked after (the designated teacher's statutory role) and children with a social worker now.
 * A child whose plan has ended, and a child in kinship care, only where the school's own policy
 * says so (six years after the plan ended, or at any time; kinship care in The Leys' policy alone).
 */
export function coveredBy(policy: ResolvedPolicy, flags: CohortFlags): boolean {
  if (flags.cla || flags.cpla || flags.cwswCurrent) return true;
  if (flags.cwswPast && (policy.has('scope.hadSocialWorkerSixYears') || policy.has('scope.hadSocialWorkerEver'))) return true;
  if (flags.cwswEnded && policy.has('scope.hadSocialWorkerEver')) return true;
  return flags.kinship && policy.has('scope.kinship');
}

/** Had a social worker, in the sense the school's policy keeps them covered. */
export function hadSocialWorker(policy: ResolvedPolicy, flags: CohortFlags): boolean {
  if (flags.cwswPast && (policy.has('scope.hadSocialWorkerSixYears') || policy.has('scope.hadSocialWorkerEver'))) return true;
  return Boolean(flags.cwswEnded && policy.has('scope.hadSocialWorkerEver'));
}
