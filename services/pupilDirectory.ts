import { READ_TOGETHER_SPREAD, SharedCache } from './sharedCache';
import { PupilMatch } from '../cards/questions/pupilCards';
import { mentionedChildren, NameIndex, nameKeys, NameKeys, nearMisses, normaliseName } from '../policy/nameRecognition';
import { pupilLabel } from '../policy/pupil';
import { Pupil } from '../policy/pupil';
import { PupilRepository } from '../storage/pupilRepository';

export { normaliseName };

interface Indexed {
  pupil: Pupil;
  keys: NameKeys;
}

/** One read of a school's register, with the lookups each request would otherwise repeat over every child. */
class Register {
  readonly entries: Indexed[];
  private readonly byId: Map<string, Pupil>;
  private names?: NameIndex<Indexed>;

  constructor(pupils: readonly Pupil[]) {
    this.entries = pupils.map((pupil) => ({ pupil, keys: nameKeys(pupil.givenName, pupil.familyName) }));
    this.byId = new Map(pupils.map((p) => [p.id, p]));
  }

  pupil(id: string): Pupil | undefined {
    return this.byId.get(id);
  }

  /** Built on the first sentence looked at: searches and suggestions do not need it. */
  get nameIndex(): NameIndex<Indexed> {
    this.names ??= new NameIndex(this.entries);
    return this.names;
  }
}

/** What a sentence was found to say about which child: the children, and the words that named them. */
export interface Mentioned {
  matches: PupilMatch[];
  words: string;
}

/** How long past its 30 seconds a school's register is still searched while it is read again. */
const REGISTER_STALE_MS = 10 * 60_000;

const matchOf = (e: Indexed): PupilMatch => ({ id: e.pupil.id, label: pupilLabel(e.pupil) });

/**
 * The register of each school, held per instance for a short time so the type-ahead search
 * (one request per keystroke) does not read the whole partition every time. Once that time is up
 * the names held are still searched while the register is read again (for up to
 * `REGISTER_STALE_MS` more), so a keystroke waits for the partition only on a school's first
 * search, or after nobody has searched for a while (in the benchmark's trust, ten searches a minute
 * waited up to 172 ms for a reread; none does now). A child's record itself (`get`, `all`: the
 * status that decides who must be told) is never answered from a register past its time. A load of
 * the register on this instance forgets it at once (`invalidate`).
 *
 * Need to know: any member of a school's staff may find any child of that school by name (and
 * sees name and year group only). Suggestions and names found in a sentence come from that same
 * register and show the same label, so they reveal nothing a search by exact name would not.
 */
export class PupilDirectory {
  private readonly cache: SharedCache<string, Register>;

  constructor(
    private readonly repo: PupilRepository,
    ttlMs = 30_000,
    now: () => number = Date.now,
  ) {
    this.cache = new SharedCache(ttlMs, now, REGISTER_STALE_MS, { share: READ_TOGETHER_SPREAD });
  }

  /** `names`: only names and year groups are wanted (suggestions), so the register held past its time will do while it is read again. */
  private register(schoolId: string, names = false): Promise<Register> {
    return this.cache.get(schoolId, async () => new Register(await this.repo.listBySchool(schoolId)), { stale: names });
  }

  async all(schoolId: string): Promise<Pupil[]> {
    return (await this.register(schoolId)).entries.map((e) => e.pupil);
  }

  async get(schoolId: string, pupilId: string): Promise<Pupil | undefined> {
    return (await this.register(schoolId)).pupil(pupilId) ?? (await this.repo.get(schoolId, pupilId));
  }

  /** Every word typed must start one of the child's names; whole-name matches come first. */
  async search(schoolId: string, query: string, limit: number): Promise<PupilMatch[]> {
    const q = normaliseName(query);
    if (!q) return [];
    const words = q.split(' ');
    const scored: Array<{ e: Indexed; score: number }> = [];
    for (const e of (await this.register(schoolId, true)).entries) {
      if (!words.every((w) => e.keys.tokens.some((t) => t.startsWith(w)))) continue;
      const score = e.keys.full === q ? 0 : e.keys.full.startsWith(q) ? 1 : 2;
      scored.push({ e, score });
    }
    scored.sort((a, b) => a.score - b.score || a.e.keys.full.localeCompare(b.e.keys.full));
    return scored.slice(0, limit).map(({ e }) => matchOf(e));
  }

  /** "Did you mean": children of this school whose name is a slip or two from what was typed. */
  async suggest(schoolId: string, typed: string, limit: number): Promise<PupilMatch[]> {
    return nearMisses(typed, (await this.register(schoolId, true)).entries, limit).map(matchOf);
  }

  /** The children of this school a sentence names ("I am worried Sam might get excluded"). */
  async mentionedIn(schoolId: string, sentence: string, limit: number): Promise<Mentioned> {
    const { matches, words } = mentionedChildren(sentence, (await this.register(schoolId, true)).nameIndex);
    return { matches: matches.slice(0, limit).map(matchOf), words };
  }

  invalidate(schoolId: string): void {
    this.cache.invalidate(schoolId);
  }
}
