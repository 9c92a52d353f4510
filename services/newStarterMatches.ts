import { MatchCandidate, NewStarterMatchState } from '../cards/newStarterMatchCard';
import { CaseRecord } from '../policy/caseRecord';
import { formatDate, formatLondonDateTime } from '../policy/dates';
import { CERTAIN_MATCH, matchScore, NewStarterSubject } from '../policy/newStarter';
import { pupilLabel, yearLabel } from '../policy/pupil';
import { CaseRepository } from '../storage/caseRepository';
import { PupilDirectory } from './pupilDirectory';

export interface MatchLookups {
  pupils: PupilDirectory;
  cases: CaseRepository;
}

/** At most this many pupils are offered, and twice as many looked at, so a common surname costs a few reads, not a register's worth. */
const OFFERED = 8;

/** "Jordan Notonroll, Year 3, born 4 Mar 2019": what staff reported, for the DSL to recognise the child by. */
export function reportedAs(s: NewStarterSubject): string {
  return `${s.givenName} ${s.familyName}, ${yearLabel(s.yearGroup)}${s.dateOfBirth ? `, born ${formatDate(s.dateOfBirth)}` : ''}`;
}

/**
 * Pupils on the register this new starter might be, likeliest first, leaving out any already
 * matched (or admitted through the register): a pupil with an admission case of their own.
 */
export async function matchCandidates(schoolId: string, s: NewStarterSubject, lookups: MatchLookups): Promise<MatchCandidate[]> {
  const scored = (await lookups.pupils.all(schoolId))
    .map((p) => ({ p, score: matchScore(s, p) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || pupilLabel(a.p).localeCompare(pupilLabel(b.p), 'en-GB'))
    .slice(0, OFFERED * 2);
  const out: MatchCandidate[] = [];
  for (const { p, score } of scored) {
    if (out.length >= OFFERED) break;
    const cases = await lookups.cases.listForPupil(schoolId, p.id);
    if (!cases.some((c) => c.caseType === 'admission')) out.push({ id: p.id, label: pupilLabel(p), ...(score === CERTAIN_MATCH ? { certain: true } : {}) });
  }
  return out;
}

/** Why a match did not go through, and the pupils to offer instead (those the typed name found). */
export interface MatchNote {
  error: string;
  candidates?: readonly MatchCandidate[];
}

/** The new-starter part of a lead's card for this case, or undefined for a case that never was about a new starter. */
export async function newStarterMatchState(record: CaseRecord, lookups: MatchLookups, note?: MatchNote): Promise<NewStarterMatchState | undefined> {
  const s = record.subject;
  if (s.kind === 'onRegister' && s.matched) {
    const pupil = await lookups.pupils.get(record.schoolId, s.pupilId);
    return { state: 'matched', label: pupil ? pupilLabel(pupil) : 'a child no longer on the register', by: s.matched.by, at: formatLondonDateTime(new Date(s.matched.at)) };
  }
  if (s.kind !== 'newStarter') return undefined;
  return {
    state: 'unmatched',
    caseId: record.id,
    schoolId: record.schoolId,
    reported: reportedAs(s),
    candidates: note?.candidates ?? (await matchCandidates(record.schoolId, s, lookups)),
    ...(note ? { error: note.error } : {}),
  };
}
