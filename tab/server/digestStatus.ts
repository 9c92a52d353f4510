import { SchoolProfile } from '../../policy/schoolProfile';
import { DIGEST_NOT_POSTED } from '../../services/digestService';
import { ConversationRefRepository } from '../../storage/conversationRefRepository';

export type DigestChannelStatus =
  | { chosen: true; posting: true }
  | { chosen: boolean; posting: false; reason: keyof typeof DIGEST_NOT_POSTED; explanation: string };

/**
 * Whether the weekly digest can be posted, and if not why, in the words DigestService uses when it
 * does not post: no channel chosen yet, or a chosen channel the app is no longer in. Two point
 * reads at most; the conversation id itself never leaves the server.
 */
export async function digestChannelStatus(school: SchoolProfile, conversationRefs: ConversationRefRepository | undefined): Promise<DigestChannelStatus> {
  const channel = school.digest.channelConversationId;
  if (!channel) return { chosen: false, posting: false, reason: 'noChannel', explanation: DIGEST_NOT_POSTED.noChannel };
  if (conversationRefs && !(await conversationRefs.findConversation(school.tenantId, channel))) {
    return { chosen: true, posting: false, reason: 'appNotInChannel', explanation: DIGEST_NOT_POSTED.appNotInChannel };
  }
  return { chosen: true, posting: true };
}
