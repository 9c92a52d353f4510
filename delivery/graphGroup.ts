import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { StaffPerson } from '../storage/staffRepository';

const page = z.object({
  value: z.array(z.object({ id: z.string(), displayName: z.string().nullable().optional(), mail: z.string().nullable().optional(), userPrincipalName: z.string().nullable().optional() }).loose()),
  '@odata.nextLink': z.string().optional(),
});

/** Reads an Entra ID security group's members (people, through nested groups) with Microsoft Graph, as the app's own identity. */
export class GraphGroupMembers {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly o: { credential: TokenCredential; graphBaseUrl?: string; fetch?: typeof fetch }) {
    this.base = (o.graphBaseUrl ?? 'https://graph.microsoft.com').replace(/\/$/, '');
    this.fetch = o.fetch ?? fetch;
  }

  async members(groupId: string): Promise<StaffPerson[]> {
    const token = await this.o.credential.getToken('https://graph.microsoft.com/.default');
    if (!token) throw new Error('could not get a token for Microsoft Graph');
    const people: StaffPerson[] = [];
    let url: string | undefined = `${this.base}/v1.0/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id,displayName,mail,userPrincipalName&$top=999`;
    for (let pages = 0; url && pages < 100; pages++) {
      // The next page's address comes from Graph; the token is sent to Graph only.
      if (new URL(url).origin !== new URL(this.base).origin) throw new Error('Microsoft Graph pointed the next page at another host');
      const res = await this.fetch(url, { headers: { authorization: `Bearer ${token.token}`, accept: 'application/json' } });
      if (!res.ok) throw new Error(`Microsoft Graph answered ${res.status} for the staff group's members`);
      const body = page.parse(await res.json());
      for (const u of body.value) {
        const email = u.mail ?? u.userPrincipalName ?? undefined;
        if (u.displayName) people.push({ aadObjectId: u.id, name: u.displayName, ...(email ? { email } : {}) });
      }
      url = body['@odata.nextLink'];
    }
    return people;
  }
}
