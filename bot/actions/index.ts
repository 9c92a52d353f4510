import { ApprovalVerb } from '../../cards/approvalCard';
import { ActionRunner, runner } from './action';
import { amendCase } from './amendCase';
import { completeAction } from './completeAction';
import { approveCase } from './approveCase';
import { declineCase } from './declineCase';
import { refreshApproval } from './refreshApproval';
import { matchNewStarter } from './matchNewStarter';

/** One handler per Universal Actions verb. */
export const ACTIONS: Record<ApprovalVerb, ActionRunner> = {
  approveCase: runner(approveCase),
  amendCase: runner(amendCase),
  declineCase: runner(declineCase),
  refreshApproval: runner(refreshApproval),
  completeAction: runner(completeAction),
  matchNewStarter: runner(matchNewStarter),
};
