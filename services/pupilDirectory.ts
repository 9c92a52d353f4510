import { PupilMatch } from '../cards/questions/pupilCards';
import { pupilLabel } from '../policy/pupil';
import { Pupil } from '../policy/pupil';
import { PupilRepository } from '../storage/pupilRepository';

interface Indexed {
  pupil: Pupil;
  tokens: string[];
  full: string;
}

/** Lower case, accents removed, so "Zoë" is found by "zoe". */
export function normaliseName(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9' -]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The register of each school, held per instance for a short time so the type-ahead search
 * (one request per keystroke) does not read the whole partition every time.
 */
export class PupilDirectory {
  private readonly cache = new Map<string, { at: number; index: Indexed[] }>();

  constructor(
    private readonly repo: PupilRepository,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  private async index(schoolId: string): Promise<Indexed[]> {
    const hit = this.cache.get(schoolId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.index;
    const pupils = await this.repo.listBySchool(schoolId);
    const index = pupils.map((pupil) => {
      const full = normaliseName(`${pupil.givenName} ${pupil.familyName}`);
      return { pupil, full, tokens: full.split(/[ -]/).filter(Boolean) };
    });
    this.cache.set(schoolId, { at: this.now(), index });
    return index;
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
      if (!words.every((w) => e.tokens.some((t) => t.startsWith(w)))) continue;
      const score = e.full === q ? 0 : e.full.startsWith(q) ? 1 : 2;
      scored.push({ e, score });
    }
    scored.sort((a, b) => a.score - b.score || a.e.full.localeCompare(b.e.full));
    return scored.slice(0, limit).map(({ e }) => ({ id: e.pupil.id, label: pupilLabel(e.pupil) }));
  }

  invalidate(schoolId: string): void {
    this.cache.delete(schoolId);
  }
}
