/**
 * The local authorities of England that have children's services, and so a Virtual School: the 153
 * upper-tier authorities (county councils, unitary authorities, metropolitan boroughs, the London
 * boroughs, the City of London and the Isles of Scilly), each with the Department for Education's
 * three-digit LA code (the "LA" of a DfE number, as used in Get Information About Schools and the
 * school census), its name as the DfE writes it, and its region.
 *
 * Source: the DfE's own lookup of live LA codes (dfe-analytical-services/dfeR, `data/las.csv` and
 * `data-raw/old_la_codes.csv`), which lists every code below, including the reorganisations of
 * 2019 (Dorset 838; Bournemouth, Christchurch and Poole 839), 2020 (Buckinghamshire unitary, still
 * 825), 2021 (North Northamptonshire 940, West Northamptonshire 941) and 2023 (Cumberland 942,
 * Westmorland and Furness 943; North Yorkshire and Somerset unitaries, still 815 and 933). Every code
 * here is confirmed by that list; none is a guess.
 *
 * The City of London (201) and the Isles of Scilly (420) are in the list because they are local
 * authorities with their own LA code; the Isles of Scilly share some children's services with
 * Cornwall, but a school there still gives 420.
 */

export interface LocalAuthority {
  /** The DfE's three-digit LA code, e.g. "919". */
  code: string;
  /** The name as the DfE writes it, e.g. "Hertfordshire", "Bristol, City of". */
  name: string;
  /** The region of England (the ONS's nine regions). */
  region: string;
}

const NE = 'North East';
const NW = 'North West';
const YH = 'Yorkshire and The Humber';
const EM = 'East Midlands';
const WM = 'West Midlands';
const EE = 'East of England';
const LO = 'London';
const SE = 'South East';
const SW = 'South West';

function la(code: string, name: string, region: string): LocalAuthority {
  return Object.freeze({ code, name, region });
}

export const LOCAL_AUTHORITIES: readonly LocalAuthority[] = Object.freeze([
  // North East (12)
  la('840', 'County Durham', NE),
  la('841', 'Darlington', NE),
  la('390', 'Gateshead', NE),
  la('805', 'Hartlepool', NE),
  la('806', 'Middlesbrough', NE),
  la('391', 'Newcastle upon Tyne', NE),
  la('392', 'North Tyneside', NE),
  la('929', 'Northumberland', NE),
  la('807', 'Redcar and Cleveland', NE),
  la('393', 'South Tyneside', NE),
  la('808', 'Stockton-on-Tees', NE),
  la('394', 'Sunderland', NE),
  // North West (24)
  la('889', 'Blackburn with Darwen', NW),
  la('890', 'Blackpool', NW),
  la('350', 'Bolton', NW),
  la('351', 'Bury', NW),
  la('895', 'Cheshire East', NW),
  la('896', 'Cheshire West and Chester', NW),
  la('942', 'Cumberland', NW),
  la('876', 'Halton', NW),
  la('340', 'Knowsley', NW),
  la('888', 'Lancashire', NW),
  la('341', 'Liverpool', NW),
  la('352', 'Manchester', NW),
  la('353', 'Oldham', NW),
  la('354', 'Rochdale', NW),
  la('355', 'Salford', NW),
  la('343', 'Sefton', NW),
  la('342', 'St. Helens', NW),
  la('356', 'Stockport', NW),
  la('357', 'Tameside', NW),
  la('358', 'Trafford', NW),
  la('877', 'Warrington', NW),
  la('943', 'Westmorland and Furness', NW),
  la('359', 'Wigan', NW),
  la('344', 'Wirral', NW),
  // Yorkshire and The Humber (15)
  la('370', 'Barnsley', YH),
  la('380', 'Bradford', YH),
  la('381', 'Calderdale', YH),
  la('371', 'Doncaster', YH),
  la('811', 'East Riding of Yorkshire', YH),
  la('810', 'Kingston upon Hull, City of', YH),
  la('382', 'Kirklees', YH),
  la('383', 'Leeds', YH),
  la('812', 'North East Lincolnshire', YH),
  la('813', 'North Lincolnshire', YH),
  la('815', 'North Yorkshire', YH),
  la('372', 'Rotherham', YH),
  la('373', 'Sheffield', YH),
  la('384', 'Wakefield', YH),
  la('816', 'York', YH),
  // East Midlands (10)
  la('831', 'Derby', EM),
  la('830', 'Derbyshire', EM),
  la('856', 'Leicester', EM),
  la('855', 'Leicestershire', EM),
  la('925', 'Lincolnshire', EM),
  la('940', 'North Northamptonshire', EM),
  la('892', 'Nottingham', EM),
  la('891', 'Nottinghamshire', EM),
  la('857', 'Rutland', EM),
  la('941', 'West Northamptonshire', EM),
  // West Midlands (14)
  la('330', 'Birmingham', WM),
  la('331', 'Coventry', WM),
  la('332', 'Dudley', WM),
  la('884', 'Herefordshire, County of', WM),
  la('333', 'Sandwell', WM),
  la('893', 'Shropshire', WM),
  la('334', 'Solihull', WM),
  la('860', 'Staffordshire', WM),
  la('861', 'Stoke-on-Trent', WM),
  la('894', 'Telford and Wrekin', WM),
  la('335', 'Walsall', WM),
  la('937', 'Warwickshire', WM),
  la('336', 'Wolverhampton', WM),
  la('885', 'Worcestershire', WM),
  // East of England (11)
  la('822', 'Bedford', EE),
  la('873', 'Cambridgeshire', EE),
  la('823', 'Central Bedfordshire', EE),
  la('881', 'Essex', EE),
  la('919', 'Hertfordshire', EE),
  la('821', 'Luton', EE),
  la('926', 'Norfolk', EE),
  la('874', 'Peterborough', EE),
  la('882', 'Southend-on-Sea', EE),
  la('935', 'Suffolk', EE),
  la('883', 'Thurrock', EE),
  // London (33)
  la('301', 'Barking and Dagenham', LO),
  la('302', 'Barnet', LO),
  la('303', 'Bexley', LO),
  la('304', 'Brent', LO),
  la('305', 'Bromley', LO),
  la('202', 'Camden', LO),
  la('201', 'City of London', LO),
  la('306', 'Croydon', LO),
  la('307', 'Ealing', LO),
  la('308', 'Enfield', LO),
  la('203', 'Greenwich', LO),
  la('204', 'Hackney', LO),
  la('205', 'Hammersmith and Fulham', LO),
  la('309', 'Haringey', LO),
  la('310', 'Harrow', LO),
  la('311', 'Havering', LO),
  la('312', 'Hillingdon', LO),
  la('313', 'Hounslow', LO),
  la('206', 'Islington', LO),
  la('207', 'Kensington and Chelsea', LO),
  la('314', 'Kingston upon Thames', LO),
  la('208', 'Lambeth', LO),
  la('209', 'Lewisham', LO),
  la('315', 'Merton', LO),
  la('316', 'Newham', LO),
  la('317', 'Redbridge', LO),
  la('318', 'Richmond upon Thames', LO),
  la('210', 'Southwark', LO),
  la('319', 'Sutton', LO),
  la('211', 'Tower Hamlets', LO),
  la('320', 'Waltham Forest', LO),
  la('212', 'Wandsworth', LO),
  la('213', 'Westminster', LO),
  // South East (19)
  la('867', 'Bracknell Forest', SE),
  la('846', 'Brighton and Hove', SE),
  la('825', 'Buckinghamshire', SE),
  la('845', 'East Sussex', SE),
  la('850', 'Hampshire', SE),
  la('921', 'Isle of Wight', SE),
  la('886', 'Kent', SE),
  la('887', 'Medway', SE),
  la('826', 'Milton Keynes', SE),
  la('931', 'Oxfordshire', SE),
  la('851', 'Portsmouth', SE),
  la('870', 'Reading', SE),
  la('871', 'Slough', SE),
  la('852', 'Southampton', SE),
  la('936', 'Surrey', SE),
  la('869', 'West Berkshire', SE),
  la('938', 'West Sussex', SE),
  la('868', 'Windsor and Maidenhead', SE),
  la('872', 'Wokingham', SE),
  // South West (15)
  la('800', 'Bath and North East Somerset', SW),
  la('839', 'Bournemouth, Christchurch and Poole', SW),
  la('801', 'Bristol, City of', SW),
  la('908', 'Cornwall', SW),
  la('878', 'Devon', SW),
  la('838', 'Dorset', SW),
  la('916', 'Gloucestershire', SW),
  la('420', 'Isles of Scilly', SW),
  la('802', 'North Somerset', SW),
  la('879', 'Plymouth', SW),
  la('933', 'Somerset', SW),
  la('803', 'South Gloucestershire', SW),
  la('866', 'Swindon', SW),
  la('880', 'Torbay', SW),
  la('865', 'Wiltshire', SW),
]);

const BY_CODE = new Map(LOCAL_AUTHORITIES.map((a) => [a.code, a]));

function byCode(code: string): LocalAuthority {
  const found = BY_CODE.get(code);
  if (!found) throw new Error(`no local authority with code ${code}`);
  return found;
}

/**
 * Codes that no longer exist, from before the reorganisations: a school's older records may still
 * carry them. One successor is an answer; two are a question for the school.
 */
const RETIRED_CODES: ReadonlyMap<string, readonly string[]> = new Map([
  ['835', ['838', '839']], // Dorset County Council until 2019: Christchurch went to BCP, the rest to Dorset
  ['836', ['839']], // Poole, until 2019
  ['837', ['839']], // Bournemouth, until 2019
  ['909', ['942', '943']], // Cumbria, until 2023
  ['928', ['940', '941']], // Northamptonshire, until 2021
]);

/**
 * Other names and the short forms schools and MIS exports use, already normalised (see `normalise`).
 * Only names that mean one authority: "Beds", "Northants", "Cumbria" and "Cheshire" mean two since
 * the reorganisations, so they are in AMBIGUOUS instead. A county's short form means the council of
 * that name ("Cambs" is Cambridgeshire, not Peterborough).
 */
const ALIASES: ReadonlyArray<readonly [string, string]> = [
  ['durham', '840'],
  ['newcastle', '391'],
  ['redcar', '807'],
  ['stockton', '808'],
  ['blackburn', '889'],
  ['cheshire west', '896'],
  ['cwac', '896'],
  ['st helens', '342'],
  ['east riding', '811'],
  ['hull', '810'],
  ['herefordshire', '884'],
  ['stoke', '861'],
  ['telford', '894'],
  ['southend', '882'],
  ['barking', '301'],
  ['corporation of london', '201'],
  ['hammersmith', '205'],
  ['lbhf', '205'],
  ['kensington', '207'],
  ['rbkc', '207'],
  ['richmond', '318'],
  ['brighton', '846'],
  ['iow', '921'],
  ['windsor', '868'],
  ['rbwm', '868'],
  ['bath', '800'],
  ['banes', '800'],
  ['bnes', '800'],
  ['b and nes', '800'],
  ['bcp', '839'],
  ['bournemouth', '839'],
  ['poole', '839'],
  ['christchurch', '839'],
  ['bristol', '801'],
  ['scilly', '420'],
];

/** Names that meant one authority once and mean two now, or that could be either of two. */
const AMBIGUOUS: ReadonlyMap<string, readonly string[]> = new Map([
  ['bedfordshire', ['822', '823']],
  ['northamptonshire', ['940', '941']],
  ['cumbria', ['942', '943']],
  ['cheshire', ['895', '896']],
  ['kingston', ['314', '810']],
]);

/** County abbreviations, word by word. */
const SHORT_WORDS: Readonly<Record<string, string>> = {
  herts: 'hertfordshire',
  cambs: 'cambridgeshire',
  beds: 'bedfordshire',
  bucks: 'buckinghamshire',
  oxon: 'oxfordshire',
  wilts: 'wiltshire',
  glos: 'gloucestershire',
  gloucs: 'gloucestershire',
  hants: 'hampshire',
  lancs: 'lancashire',
  lincs: 'lincolnshire',
  leics: 'leicestershire',
  notts: 'nottinghamshire',
  derbys: 'derbyshire',
  staffs: 'staffordshire',
  worcs: 'worcestershire',
  warks: 'warwickshire',
  northants: 'northamptonshire',
  yorks: 'yorkshire',
  berks: 'berkshire',
  salop: 'shropshire',
  saint: 'st',
};

/** "N Yorks", "NE Lincs", "W Sussex": a compass letter at the start. */
const COMPASS: Readonly<Record<string, string>> = { n: 'north', s: 'south', e: 'east', w: 'west', ne: 'north east' };

const PREFIXES = ['the ', 'london borough of ', 'royal borough of ', 'metropolitan borough of ', 'borough of ', 'lb of ', 'lb ', 'city of ', 'county of '];
const SUFFIXES = [
  ' metropolitan borough council',
  ' metropolitan district council',
  ' borough council',
  ' county council',
  ' city council',
  ' district council',
  ' unitary authority',
  ' local authority',
  ' council',
  ' corporation',
  ' city of',
  ' county of',
  ' county',
  ' city',
  ' mbc',
  ' cc',
  ' la',
];

/** Lower case, no accents or punctuation, "&" as "and", abbreviations written out. */
function normalise(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.,'’()[\]"]/g, ' ')
    .replace(/[-_/–—]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => SHORT_WORDS[w] ?? w);
  const first = words[0];
  if (first !== undefined && words.length > 1 && COMPASS[first]) words[0] = COMPASS[first];
  return words.join(' ');
}

/** The name without "Council", "City of", "London Borough of" and the like (never "City of London" to "London"). */
function stripAffixes(key: string): string {
  let s = key;
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of PREFIXES) {
      if (s.startsWith(p) && s.length > p.length && !s.startsWith('city of london')) {
        s = s.slice(p.length);
        changed = true;
      }
    }
    for (const x of SUFFIXES) {
      if (s.endsWith(x) && s.length > x.length) {
        s = s.slice(0, -x.length);
        changed = true;
      }
    }
  }
  return s;
}

/** Every key that names one authority: its name, the name without affixes, and the aliases. */
const BY_KEY: ReadonlyMap<string, LocalAuthority> = (() => {
  const keys = new Map<string, LocalAuthority>();
  const add = (key: string, authority: LocalAuthority): void => {
    const existing = keys.get(key);
    if (existing && existing !== authority) throw new Error(`"${key}" names both ${existing.name} and ${authority.name}`);
    keys.set(key, authority);
  };
  for (const a of LOCAL_AUTHORITIES) {
    const key = normalise(a.name);
    add(key, a);
    add(stripAffixes(key), a);
  }
  for (const [alias, code] of ALIASES) add(alias, byCode(code));
  return keys;
})();

/** Each authority's keys, for suggestions. */
const KEYS_OF: ReadonlyMap<LocalAuthority, readonly string[]> = (() => {
  const keys = new Map<LocalAuthority, string[]>();
  for (const [key, a] of BY_KEY) keys.set(a, [...(keys.get(a) ?? []), key]);
  return keys;
})();

export type LocalAuthorityMatch =
  | { kind: 'found'; authority: LocalAuthority }
  | { kind: 'ambiguous'; candidates: LocalAuthority[] }
  | { kind: 'unknown' };

function byName(text: string): LocalAuthorityMatch {
  const key = normalise(text);
  for (const k of [key, stripAffixes(key)]) {
    const found = BY_KEY.get(k);
    if (found) return { kind: 'found', authority: found };
    const either = AMBIGUOUS.get(k);
    if (either) return { kind: 'ambiguous', candidates: either.map(byCode) };
  }
  return { kind: 'unknown' };
}

function byCodeOrRetired(code: string): LocalAuthorityMatch {
  const current = BY_CODE.get(code);
  if (current) return { kind: 'found', authority: current };
  const successors = RETIRED_CODES.get(code);
  if (!successors) return { kind: 'unknown' };
  const [only, ...others] = successors.map(byCode);
  if (only && others.length === 0) return { kind: 'found', authority: only };
  return { kind: 'ambiguous', candidates: successors.map(byCode) };
}

const CODE_ONLY = /^\s*(?:la\s*(?:code)?\s*[:#]?\s*)?(\d{3})\s*$/i;
const CODE_FIRST = /^\s*(\d{3})\s*[-–:,]?\s+(\D.*)$/;
const CODE_LAST = /^(.*\D)\s*[-–:,]?\s*\(?\s*(\d{3})\s*\)?\s*$/;

/** "919", or a code with a name: "919 Hertfordshire", "Hertfordshire (919)", "Herts - 919". */
function splitCode(input: string): { code: string; name?: string } | undefined {
  const only = CODE_ONLY.exec(input);
  if (only?.[1]) return { code: only[1] };
  const first = CODE_FIRST.exec(input);
  if (first?.[1] && first[2]) return { code: first[1], name: first[2] };
  const last = CODE_LAST.exec(input);
  if (last?.[1] && last[2]) return { code: last[2], name: last[1] };
  return undefined;
}

/**
 * What the input names: one authority, two it could mean, or none. Takes the code ("919"), a
 * retired code ("837" is now BCP), the name in any case ("HERTFORDSHIRE", "Hertfordshire County
 * Council", "City of Bristol", "Brighton & Hove"), a short form ("Herts", "Cambs", "N Yorks"), or a
 * label such as "Hertfordshire (919)"; a label whose name and code disagree names none.
 */
export function matchLocalAuthority(input: string): LocalAuthorityMatch {
  const withCode = splitCode(input);
  if (!withCode) return byName(input);
  const fromCode = byCodeOrRetired(withCode.code);
  if (withCode.name === undefined) return fromCode;
  const fromName = byName(withCode.name);
  if (fromCode.kind === 'unknown') return fromName;
  if (fromName.kind === 'unknown') return fromCode;
  const named = fromName.kind === 'found' ? [fromName.authority] : fromName.candidates;
  const coded = fromCode.kind === 'found' ? [fromCode.authority] : fromCode.candidates;
  const both = coded.filter((a) => named.includes(a));
  const [only, ...others] = both;
  if (only && others.length === 0) return { kind: 'found', authority: only };
  return both.length > 1 ? { kind: 'ambiguous', candidates: both } : { kind: 'unknown' };
}

/** The one authority the input names, or undefined when it names none or could mean two ("Northants"). */
export function findLocalAuthority(input: string): LocalAuthority | undefined {
  const match = matchLocalAuthority(input);
  return match.kind === 'found' ? match.authority : undefined;
}

/** "Hertfordshire (919)"; the input itself when it names no one authority. */
export function localAuthorityLabel(codeOrLegacy: string): string {
  const found = findLocalAuthority(codeOrLegacy);
  return found ? `${found.name} (${found.code})` : codeOrLegacy;
}

/**
 * Whether two ways of naming an authority ("HERTS", "Hertfordshire", "919") mean the same one.
 * Unknown names still match themselves (case aside), so profiles written before the list was
 * shipped keep working.
 */
export function sameAuthority(a: string, b: string): boolean {
  if (a.trim().toUpperCase() === b.trim().toUpperCase()) return true;
  const x = findLocalAuthority(a);
  return x !== undefined && x.code === findLocalAuthority(b)?.code;
}

/** Why a typed authority is not one, with what it might have meant; undefined when it is one. */
export function authorityProblem(input: string): string | undefined {
  const match = matchLocalAuthority(input);
  if (match.kind === 'found') return undefined;
  if (match.kind === 'ambiguous') return `"${input}" could be ${match.candidates.map((c) => `${c.name} (${c.code})`).join(' or ')}: use the three-digit code`;
  const close = suggestLocalAuthorities(input);
  return `"${input}" is not a local authority in England${close.length > 0 ? `: did you mean ${close.map((c) => `${c.name} (${c.code})`).join(', ')}?` : ' (use its three-digit DfE code or its name)'}`;
}

/**
 * Authorities the input might have meant, closest first, for "did you mean" messages: the two an
 * ambiguous name could mean, else names within a few letters of it, or that start with it, or that
 * contain it as a word.
 */
export function suggestLocalAuthorities(input: string, max = 3): LocalAuthority[] {
  if (max <= 0) return [];
  const match = matchLocalAuthority(input);
  if (match.kind === 'found') return [match.authority];
  if (match.kind === 'ambiguous') return match.candidates.slice(0, max);
  const key = stripAffixes(normalise(input));
  if (key.length < 2) return [];
  const allowed = Math.max(1, Math.round(key.length * 0.3));
  const scored: { authority: LocalAuthority; score: number }[] = [];
  for (const [authority, keys] of KEYS_OF) {
    const score = Math.min(...keys.map((k) => closeness(key, k)));
    if (score <= allowed) scored.push({ authority, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.authority.name.localeCompare(b.authority.name, 'en-GB'))
    .slice(0, max)
    .map((s) => s.authority);
}

/** Edits from the input to the key; a key that starts with the input, or contains it as words, is close. */
function closeness(input: string, key: string): number {
  let best = editDistance(input, key);
  if (key.length > input.length) best = Math.min(best, editDistance(input, key.slice(0, input.length)) + 1);
  if (input.length >= 4 && ` ${key} `.includes(` ${input} `)) best = Math.min(best, 1);
  return best;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
