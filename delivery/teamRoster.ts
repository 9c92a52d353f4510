import { CloudAdapter, TeamsChannelAccount, TeamsInfo } from 'botbuilder';
import { ConversationRef } from '../storage/conversationRefRepository';
import { StaffPerson } from '../storage/staffRepository';
import { toConversationReference, ServiceUrlNotAllowedError } from './proactive';
import { isAllowedServiceUrl } from './serviceUrls';

/** Reads who is in a Teams team (the roster API), through a conversation the bot has in that team. */
export interface TeamRoster {
  members(ref: ConversationRef, teamId: string): Promise<StaffPerson[]>;
  /** One person in a conversation: their name and work address, as Teams knows them. */
  member(ref: ConversationRef, userId: string): Promise<StaffPerson | undefined>;
}

/** A roster entry as the bot keeps it: the Entra object id, the name, and the email (or sign-in name). */
export function toStaffPerson(m: Partial<TeamsChannelAccount>): StaffPerson | undefined {
  if (!m.aadObjectId || !m.name) return undefined;
  const email = m.email || m.userPrincipalName;
  return { aadObjectId: m.aadObjectId, name: m.name, ...(email ? { email } : {}) };
}

/** The roster through botbuilder's TeamsInfo, only via allow-listed service URLs (the bot's token goes with it). */
export class AdapterTeamRoster implements TeamRoster {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly allowedServiceUrls: readonly string[],
  ) {}

  async members(ref: ConversationRef, teamId: string): Promise<StaffPerson[]> {
    if (!isAllowedServiceUrl(ref.serviceUrl, this.allowedServiceUrls)) throw new ServiceUrlNotAllowedError();
    const people: StaffPerson[] = [];
    await this.adapter.continueConversationAsync(this.appId, toConversationReference(ref), async (context) => {
      let token: string | undefined;
      // Pages of up to 500: a large secondary school's staff team fits in one or two.
      for (let page = 0; page < 100; page++) {
        const result = await TeamsInfo.getPagedTeamMembers(context, teamId, 500, token);
        for (const m of result.members) {
          const p = toStaffPerson(m);
          if (p) people.push(p);
        }
        token = result.continuationToken;
        if (!token) break;
      }
    });
    return people;
  }

  async member(ref: ConversationRef, userId: string): Promise<StaffPerson | undefined> {
    if (!isAllowedServiceUrl(ref.serviceUrl, this.allowedServiceUrls)) throw new ServiceUrlNotAllowedError();
    let person: StaffPerson | undefined;
    await this.adapter.continueConversationAsync(this.appId, toConversationReference(ref), async (context) => {
      person = toStaffPerson(await TeamsInfo.getMember(context, userId));
    });
    return person;
  }
}
