import { createHarness } from './support/botHarness';
import { raiseSuspensionRisk } from './support/flows';

describe('a role holder who has not installed the app', () => {
  it('has their card kept pending (not failed), and gets it as soon as they first speak to the bot', async () => {
    const h = await createHarness();
    const caseId = await raiseSuspensionRisk(h);
    const toDsl = (await h.parts.cases.notifications('oakfield-demo', caseId)).find((n) => n.channel === 'teams' && n.to.aadObjectId === '00000000-0000-0000-0000-0000000000021')!;
    expect(toDsl.status).toBe('pending');
    expect(toDsl.delivery?.waitingForInstall).toBe(true);
    expect(h.sender.sent.filter((s) => s.ref.aadObjectId === '00000000-0000-0000-0000-0000000000021')).toEqual([]);

    await h.say('hello', 'dsl');
    await h.parts.background.settled();
    const sent = h.sender.sent.filter((s) => s.ref.aadObjectId === '00000000-0000-0000-0000-0000000000021');
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]!.activity)).toContain('"verb":"approveCase"');
    const after = await h.parts.cases.getNotification('oakfield-demo', toDsl.id);
    expect(after?.status).toBe('delivered');
  });
});
