import { Role } from './roles';

/**
 * What a DSL or headteacher types to change a role, in the words they would use:
 * "make Adele Vance the Designated Teacher", "Isaiah Langer is now a deputy DSL",
 * "remove Lynne Robbins as SENCO", "who holds which role".
 */
export type RoleCommand = { kind: 'give' | 'take'; role: Role; personName: string } | { kind: 'list' };

/** Longest first, so "deputy designated safeguarding lead" is not read as "designated safeguarding lead". */
const ROLE_WORDS: ReadonlyArray<readonly [string, Role]> = [
  ['deputy designated safeguarding lead', 'deputyDSL'],
  ['deputy safeguarding lead', 'deputyDSL'],
  ['designated safeguarding lead', 'DSL'],
  ['designated safeguarding governor', 'governor'],
  ['member of the senior leadership team', 'SLT'],
  ['member of the slt', 'SLT'],
  ['senior leadership team', 'SLT'],
  ['designated governor', 'governor'],
  ['safeguarding governor', 'governor'],
  ['designated teacher', 'DT'],
  ['attendance officer', 'attendanceLead'],
  ['attendance lead', 'attendanceLead'],
  ['safeguarding lead', 'DSL'],
  ['senior leader', 'SLT'],
  ['head teacher', 'headteacher'],
  ['headteacher', 'headteacher'],
  ['deputy dsl', 'deputyDSL'],
  ['principal', 'headteacher'],
  ['governor', 'governor'],
  ['deputy', 'deputyDSL'],
  ['senco', 'SENCO'],
  ['head', 'headteacher'],
  ['dsl', 'DSL'],
  ['slt', 'SLT'],
  ['dt', 'DT'],
];

function roleFrom(words: string): Role | undefined {
  const w = words.trim().replace(/^(the|a|an|our|my)\s+/, '').replace(/\s+(role)$/, '').trim();
  return ROLE_WORDS.find(([phrase]) => w === phrase)?.[1];
}

/** "megan bowen the dsl" → the person and the role, trying each role phrase at the end (longest first). */
function personThenRole(rest: string): { personName: string; role: Role } | undefined {
  const t = rest.replace(/ role$/, '');
  for (const [phrase, role] of ROLE_WORDS) {
    if (!t.endsWith(` ${phrase}`)) continue;
    const personName = t
      .slice(0, -phrase.length - 1)
      .replace(/\s+(the|a|an|our)(\s+new)?$/, '')
      .trim();
    if (NAME.test(personName)) return { personName, role };
  }
  return undefined;
}

/** A person's name as typed: letters, spaces, hyphens and apostrophes, nothing that looks like a sentence. */
const NAME = /^[a-z][a-z'’. -]{1,80}$/;

const LIST = /^(who (holds|has) (which|what) roles?|who is (the )?(dsl|designated safeguarding lead)|roles|list (the )?roles|show (the )?roles)$/;

export function parseRoleCommand(text: string): RoleCommand | undefined {
  const t = text.toLowerCase().replace(/[?!.]+$/, '').replace(/\s+/g, ' ').trim();
  if (LIST.test(t)) return { kind: 'list' };
  const give = /^(?:please )?make (.+)$/.exec(t) ?? /^(?:please )?(?:appoint|add) (.+)$/.exec(t);
  if (give) {
    const found = personThenRole(give[1]!.replace(/ as /, ' '));
    if (found) return { kind: 'give', ...found };
  }
  // "X is now the DT", "X is our new SENCO": not "X is the head", which could be anything.
  const isNow = /^(.+?) is (?:now (?:the |a |an |our )(?:new )?|(?:the |our )new )(.+)$/.exec(t);
  if (isNow && !/ no longer /.test(t)) {
    const role = roleFrom(isNow[2]!);
    if (role && NAME.test(isNow[1]!)) return { kind: 'give', role, personName: isNow[1]! };
  }
  const remove = /^(?:please )?remove (.+?) (?:as|from being|from) (.+)$/.exec(t);
  if (remove) {
    const role = roleFrom(remove[2]!);
    if (role && NAME.test(remove[1]!)) return { kind: 'take', role, personName: remove[1]! };
  }
  const takeFrom = /^(?:please )?take (.+?) (?:role )?(?:away )?from (.+)$/.exec(t);
  if (takeFrom) {
    const role = roleFrom(takeFrom[1]!);
    if (role && NAME.test(takeFrom[2]!)) return { kind: 'take', role, personName: takeFrom[2]! };
  }
  const noLonger = /^(.+?) is no longer (.+)$/.exec(t);
  if (noLonger) {
    const role = roleFrom(noLonger[2]!);
    if (role && NAME.test(noLonger[1]!)) return { kind: 'take', role, personName: noLonger[1]! };
  }
  return undefined;
}
