import { SharedCache } from '../services/sharedCache';

/**
 * The school directory and the register are kept for a short time, and a burst of turns asking for
 * them at once shares one read (issue 20: fifty schools' profiles read and parsed by each of a
 * hundred first turns together cost two seconds before any of them was answered).
 */
describe('a value kept for a short time, read once however many ask', () => {
  function reader() {
    let reads = 0;
    const pending: Array<(v: string) => void> = [];
    const read = () => {
      reads++;
      return new Promise<string>((resolve) => pending.push(resolve));
    };
    return { read, reads: () => reads, finish: (v: string) => pending.splice(0).forEach((r) => r(v)) };
  }

  it('a hundred callers at once share one read', async () => {
    const cache = new SharedCache<string, string>(30_000, () => 0);
    const r = reader();
    const all = Promise.all(Array.from({ length: 100 }, () => cache.get('school', r.read)));
    r.finish('profiles');
    expect(await all).toEqual(Array(100).fill('profiles'));
    expect(r.reads()).toBe(1);
    expect(await cache.get('school', r.read)).toBe('profiles');
    expect(r.reads()).toBe(1);
  });

  it('reads again once the time is up, and keys are kept apart', async () => {
    let now = 0;
    const cache = new SharedCache<string, string>(30_000, () => now);
    expect(await cache.get('a', async () => 'first')).toBe('first');
    expect(await cache.get('b', async () => 'other')).toBe('other');
    now = 29_999;
    expect(await cache.get('a', async () => 'second')).toBe('first');
    now = 30_000;
    expect(await cache.get('a', async () => 'second')).toBe('second');
  });

  it('a read begun before a change is not kept as fresh, and a failed read is not kept', async () => {
    const cache = new SharedCache<string, string>(30_000, () => 0);
    const r = reader();
    const before = cache.get('school', r.read);
    // The profile is changed on this instance while the old one is being read.
    cache.invalidate('school');
    r.finish('old');
    expect(await before).toBe('old');
    expect(await cache.get('school', async () => 'new')).toBe('new');

    const failing = new SharedCache<string, string>(30_000, () => 0);
    await expect(failing.get('school', async () => Promise.reject(new Error('storage refused')))).rejects.toThrow('storage refused');
    expect(await failing.get('school', async () => 'read again')).toBe('read again');
  });
});
