import { SharedCache } from './sharedCache';
import { PupilMatch } from '../cards/questions/pupilCards';
import { mentionedChildren, nameKeys, NameKeys, nearMisses, normaliseName } from '../policy/nameRecognition';
import { pupilLabel } from '../policy/pupil';
import { Pupil } from '../policy/pupil';
import { PupilRepository } from '../storage/pupilRepository';

export { normaliseName };

interface Indexed {
  pupil: Pupil;
  keys: NameKeys;
}

/** What a sentence was found to say about which child: the children, and the words that named them. */
export interface Mentioned {
  matches: PupilMatch[];
  words: string;
}

const matchOf = (e: Indexed): PupilMatch => ({ id: e.pupil.id, label: pupilLabel(e.pupil) });

/**
 * The register of each school, held per instance for a short time so the type-ahead search
 * (one request per keystroke) does not read the whole partition every time.
 *
 * Need to know: any member of a school's staff may find any child of that school by name (and
 * sees name and year group only). Suggestions and names found in a sentence come from that same
 * register and show the same label, so they reveal nothing a search by exact name would not.
 */
export class PupilDirectory {
  private readonly cache: SharedCache<string, Indexed[]>;

  constructor(
    private readonly repo: PupilRepository,
    ttlMs = 30_000,
    now: () => number = Date.now,
  ) {
    this.cache = new SharedCache(ttlMs, now);
  }

  private index(schoolId: string): Promise<Indexed[]> {
    return this.cache.get(schoolId, async () => (await this.repo.listBySchool(schoolId)).map((pupil) => ({ pupil, keys: nameKeys(pupil.givenName, pupil.familyName) })));
  }

  async all(schoolId: string): Promise<Pupil[]> {
    return (await this.index(schoolId)).map((e) => e.pupil);
  }

  async get(schoolId: string, pupilId: string): Promise<Pupil | undefined> {
    return (await this.index(schoolId)).find((e) => e.pupil.id === pupilId)?.pupil ?? (await this.repo.get(schoolId, pupilId));
  }

  /** Every word typed must start one of the child's names; whole-name matches come first. */
  async search(schoolId: string, query: string, limit: number): Promise<PupilMatch[]> {
    const q = normaliseName(query);
    if (!q) return [];
    const words = q.split(' ');
    const scored: Array<{ e: Indexed; score: number }> = [];
    for (const e of await this.index(schoolId)) {
      if (!words.every((w) => e.keys.tokens.some((t) => t.startsWith(w)))) continue;
      const score = e.keys.full === q ? 0 : e.keys.full.startsWith(q) ? 1 : 2;
      scored.push({ e, score });
    }
    scored.sort((a, b) => a.score - b.score || a.e.keys.full.localeCompare(b.e.keys.full));
    return scored.slice(0, limit).map(({ e }) => matchOf(e));
  }

  /** "Did you mean": children of this school whose name is a slip or two from what was typed. */
  async suggest(schoolId: string, typed: string, limit: number): Promise<PupilMatch[]> {
    return nearMisses(typed, await this.index(schoolId), limit).map(matchOf);
  }

  /** The children of this school a sentence names ("I am worried Sam might get excluded"). */
  async mentionedIn(schoolId: string, sentence: string, limit: number): Promise<Mentioned> {
    const { matches, words } = mentionedChildren(sentence, await this.index(schoolId));
    return { matches: matches.slice(0, limit).map(matchOf), words };
  }

  invalidate(schoolId: string): void {
    this.cache.invalidate(schoolId);
  }
}
