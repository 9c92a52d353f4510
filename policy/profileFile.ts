import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar } from 'yaml';
import { z } from 'zod';
import { Role, roleSchema } from './roles';
import { isoDateSchema } from './dates';
import { authorityProblem } from './localAuthorities';
import { checkProfile, profileProblems, SchoolProfile, schoolProfileShape } from './schoolProfile';

/**
 * The school profile as a file a school's IT lead or DSL edits: YAML, with comments, checked
 * against a published JSON Schema (schemas/school-profile.schema.json, for editors to complete and
 * check as you type) and by `npm run school -- validate`, which names the line and field of every
 * problem. It holds exactly the stored profile's settings, except that a member of staff may be
 * named by their email address alone: `apply` finds their Microsoft 365 id from the staff team's
 * roster (or from their first chat with the bot), so nobody types an object id.
 */

/** SYNTHETIC placeholder used by `init`: an empty value the checks refuse until it is filled in. */
export const FILL_IN = '';

/** A person in a settings file: named by their work email, or (only if that cannot be used) their Entra id. */
export const filePersonFields = z.object({
  name: z.string().trim().min(1, 'is empty: give the person\'s name').max(120),
  /** Their work email (their Microsoft 365 sign-in): how the bot finds their id. */
  email: z.email('must be their work email address, such as megan.bowen@school.org.uk').max(254).optional(),
  /** Their Entra ID object id, only if their email cannot be used. */
  aadObjectId: z.string().trim().min(1).max(64).optional(),
});

export const fileStaffMemberSchema = z
  .object({
    name: z.string().trim().min(1, 'is empty: give the person\'s name').max(120),
    /** Their work email (their Microsoft 365 sign-in): how the bot finds their id. */
    email: z.email('must be their work email address, such as megan.bowen@school.org.uk').max(254).optional(),
    /** Their Entra ID object id, only if their email cannot be used. */
    aadObjectId: z.string().trim().min(1).max(64).optional(),
    roles: z.array(roleSchema, { error: `must be a list of roles: ${roleSchema.options.join(', ')}` }).min(1, 'needs at least one role'),
  })
  .refine((m) => m.email !== undefined || m.aadObjectId !== undefined, { message: 'needs an email address (or an Entra object id)', path: ['email'] });
export type FileStaffMember = z.infer<typeof fileStaffMemberSchema>;

/** The file's schema: the stored profile's, with staff named by email; the same cross-field checks. */
export const profileFileSchema = schoolProfileShape
  .extend({ staff: z.array(fileStaffMemberSchema).min(1, 'needs at least the Designated Safeguarding Lead') })
  .superRefine((p, ctx) => {
    checkProfile(p, ctx);
    for (const problem of authorityProblems(p)) ctx.addIssue({ code: 'custom', ...problem });
  });

/** A file names authorities from England's list (a stored profile from before the list is still read). */
function authorityProblems(p: { localAuthority?: unknown; virtualSchools?: unknown }): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  if (typeof p.localAuthority === 'string' && p.localAuthority.trim() !== '') {
    const wrong = authorityProblem(p.localAuthority);
    if (wrong) out.push({ path: ['localAuthority'], message: wrong });
  }
  if (Array.isArray(p.virtualSchools)) {
    p.virtualSchools.forEach((v: unknown, i) => {
      const la = typeof v === 'object' && v !== null ? (v as { localAuthority?: unknown }).localAuthority : undefined;
      const wrong = typeof la === 'string' && la.trim() !== '' ? authorityProblem(la) : undefined;
      if (wrong) out.push({ path: ['virtualSchools', i, 'localAuthority'], message: wrong });
    });
  }
  return out;
}
export type ProfileFile = z.output<typeof profileFileSchema>;

/** Help for each top-level setting: the comments in a written file and the descriptions in the JSON Schema. */
export const FIELD_HELP: Record<string, string> = {
  id: 'The school\'s id in this app: lower-case letters, digits and hyphens. Never change it once set.',
  name: 'The school\'s name as staff know it.',
  tenantId: 'Your Microsoft 365 (Entra ID) tenant id: Entra admin centre > Overview > Tenant ID.',
  localAuthority: 'The school\'s own local authority, by its three-digit DfE code (919 is Hertfordshire) or name.',
  policy: 'Which of the five policy profiles is closest to your own policy (leys, busheyHeath, holyFamily, offord, cambridgeshireModel); see policy/README.md.',
  staff: 'The role holders: DSL, deputyDSL, DT, headteacher, SENCO, attendanceLead, SLT, governor. Name each by their work email; everyone else in the staff team is "any staff" without being listed.',
  staffSource: 'Where the rest of the staff list comes from. Set from Teams: add the app to your staff team and press "This team is our staff list" on the card it posts. Or give an Entra ID security group instead (groupId: its object id), once the app may read group members (docs/OPERATIONS.md).',
  virtualSchools: 'The Virtual School of each local authority that places children with you (your own first), with the address their notifications go to.',
  exclusionsContact: 'Your local authority\'s exclusions team: told of every suspension and permanent exclusion.',
  calendar: 'Term dates, half terms (breaks) and INSET days. Import them from your local authority\'s file: npm run school -- terms --school <id> <file.csv or .ics>.',
  thresholds: 'Attendance thresholds: only stricter than the statutory ones.',
  externalStepsNeedApproval: 'Whether anything that leaves the school waits for a DSL\'s approval (true unless your policy says otherwise).',
  schoolDay: 'When the school day starts and ends (24-hour HH:MM), for deadlines in school hours.',
  approvalWindows: 'How long an approval may wait before the DSL is reminded and the deputy and headteacher told.',
  senderMailbox: 'The shared safeguarding mailbox emails are sent from.',
  digest: 'When the weekly digest is posted (weekday 1 = Monday). Its channel is chosen in Teams, from the card the app posts in a channel.',
  ppPlusNotes: 'The Designated Teacher\'s notes on how Pupil Premium Plus is used, for the governors\' report.',
  retention: 'How long records are kept: years after a child\'s date of birth (25 at least).',
  registerSource: 'Where your MIS drops its scheduled register export for the app to load unattended (a folder, or a blob container).',
  trustId: 'The trust this school belongs to, when one deployment serves several schools.',
  synthetic: 'Marks made-up data (the demo school, tests). Never set it for a real school.',
};

export interface FileProblem {
  /** 1-based; 0 when the problem is with the file as a whole. */
  line: number;
  /** The setting, as a path: `staff[2].email` (items counted from 1, as you see them). */
  field: string;
  message: string;
}

export function formatProblem(p: FileProblem): string {
  return `${p.line > 0 ? `line ${p.line}, ` : ''}${p.field}: ${p.message}`;
}

function fieldName(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part + 1}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(the file)';
}

/** The line of the deepest node the path reaches: the key of a missing setting's parent, or the value itself. */
function lineOf(doc: Document, lines: LineCounter, path: ReadonlyArray<PropertyKey>): number {
  let node: unknown = doc.contents;
  let offset = doc.contents && 'range' in doc.contents && doc.contents.range ? doc.contents.range[0] : 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      const key = pair.key as Scalar;
      if (key.range) offset = key.range[0];
      node = pair.value;
      if (node && (node as Node).range && !isMap(node) && !isSeq(node)) offset = (node as Node).range![0];
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (!item) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else break;
  }
  return lines.linePos(offset).line;
}

/** The line a setting is on, for problems found after the file was read (a person not known yet). */
export function lineOfSetting(text: string, path: ReadonlyArray<PropertyKey>): FileProblem['line'] {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines });
  return lineOf(doc, lines, path);
}

export function problemAt(text: string, path: ReadonlyArray<PropertyKey>, message: string): FileProblem {
  return { line: lineOfSetting(text, path), field: fieldName(path), message };
}

export type ParsedProfileFile = { ok: true; profile: ProfileFile } | { ok: false; problems: FileProblem[] };

/** Reads a profile file's text: YAML, then every check, each problem with its line and field. */
export function parseProfileFile(text: string): ParsedProfileFile {
  const read = parseSettingsFile(text, profileFileSchema, 'a school profile: it should be a list of settings such as "id:", "name:" and "staff:"', crossFieldIssues);
  return read.ok ? { ok: true, profile: read.value } : read;
}

/**
 * A settings file (a school profile, a trust) read against its schema: YAML first, then every
 * check, each problem with its line and field, and any setting the schema does not know.
 */
export function parseSettingsFile<S extends z.ZodType>(
  text: string,
  schema: S,
  whatItIs: string,
  moreIssues: (json: object) => Array<{ path: Array<string | number>; message: string }> = () => [],
): { ok: true; value: z.output<S> } | { ok: false; problems: FileProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? 0, field: '(the file)', message: `is not valid YAML: ${e.message.split('\n')[0]}` })),
    };
  }
  const json: unknown = doc.toJS();
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problems: [{ line: 1, field: '(the file)', message: `is not ${whatItIs}` }] };
  }
  const parsed = schema.safeParse(json);
  const problems = parsed.success
    ? unknownSettings(json, parsed.data, []).map((path) => ({ line: lineOf(doc, lines, path), field: fieldName(path), message: 'is not a setting this app knows (check the spelling); nothing was read from it' }))
    : dedupe([...parsed.error.issues.map((i) => ({ path: i.path, message: plainMessage(i) })), ...moreIssues(json)]).map((i) => ({
        line: lineOf(doc, lines, i.path),
        field: fieldName(i.path),
        message: i.message,
      }));
  if (parsed.success && problems.length === 0) return { ok: true, value: parsed.data };
  return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
}

/**
 * zod runs the checks across fields only once every field is valid; a school fixing a file wants
 * them all at once. So they are run on their own too, over whatever parts of the file are readable.
 */
function crossFieldIssues(json: object): Array<{ path: Array<string | number>; message: string }> {
  const j = json as Record<string, unknown>;
  const list = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : []);
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const calendar = typeof j.calendar === 'object' && j.calendar !== null ? (j.calendar as Record<string, unknown>) : {};
  return [...authorityProblems(j), ...profileProblems({
    staff: list(j.staff).map((m) => ({ aadObjectId: text(m.aadObjectId) || undefined, email: text(m.email) || undefined, roles: Array.isArray(m.roles) ? m.roles.map(text) : [] })),
    virtualSchools: list(j.virtualSchools).map((v) => ({ localAuthority: text(v.localAuthority) })),
    localAuthority: text(j.localAuthority),
    calendar: {
      terms: list(calendar.terms)
        .map((t) => ({ name: text(t.name), start: text(t.start), end: text(t.end), breaks: list(t.breaks).map((b) => ({ start: text(b.start), end: text(b.end) })) }))
        .filter((t) => isoDateSchema.safeParse(t.start).success && isoDateSchema.safeParse(t.end).success),
    },
  })];
}

function dedupe<T extends { path: ReadonlyArray<PropertyKey>; message: string }>(issues: T[]): T[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path.map(String).join('.')}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Settings in the file that the checks dropped: a misspelt key would otherwise be silently ignored. */
function unknownSettings(input: unknown, output: unknown, path: PropertyKey[]): PropertyKey[][] {
  if (Array.isArray(input) && Array.isArray(output)) return input.flatMap((item, i) => unknownSettings(item, output[i], [...path, i]));
  if (typeof input !== 'object' || input === null || typeof output !== 'object' || output === null || Array.isArray(output)) return [];
  const out = output as Record<string, unknown>;
  return Object.entries(input as Record<string, unknown>).flatMap(([key, value]) => (key in out ? unknownSettings(value, out[key], [...path, key]) : [[...path, key]]));
}

function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is missing';
  // zod's own wording ("Too small: expected string to have >=1 characters"), not the schema's.
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1 && /^Too small/.test(issue.message)) return 'is empty: fill it in';
  if (issue.code === 'invalid_format' && issue.format === 'email' && /^Invalid/.test(issue.message)) return 'must be an email address';
  if (issue.code === 'invalid_format' && issue.format === 'regex' && /Invalid string/.test(issue.message)) return `is not in the right form (${issue.message})`;
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a group of settings' : `a ${issue.expected}`}`;
  if (issue.code === 'invalid_value' && issue.values.length > 0) return `must be one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

/** What the profile holds, in the order the file shows it (a stable order, so files diff well). */
const ORDER = [
  'id', 'name', 'tenantId', 'trustId', 'localAuthority', 'policy', 'staff', 'staffSource', 'virtualSchools', 'exclusionsContact', 'senderMailbox',
  'calendar', 'schoolDay', 'approvalWindows', 'externalStepsNeedApproval', 'thresholds', 'digest', 'retention', 'registerSource', 'ppPlusNotes', 'synthetic',
];

/** A profile (or a template) as a commented YAML file. */
export function profileToYaml(profile: object, heading: string): string {
  const entries = new Map(Object.entries(profile).filter(([, v]) => v !== undefined));
  const ordered: Record<string, unknown> = {};
  for (const key of ORDER) if (entries.has(key)) ordered[key] = entries.get(key);
  for (const [key, value] of entries) if (!(key in ordered)) ordered[key] = value;
  const doc = new Document(ordered);
  doc.commentBefore = heading;
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (FIELD_HELP[key] && isScalar(pair.key)) pair.key.commentBefore = ` ${FIELD_HELP[key]}`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

// ---- What changed ----------------------------------------------------------------------------

/** Short names for roles in a list of changes ("DSL changed from ... to ..."). */
const CHANGE_LABEL: Record<Role, string> = {
  DSL: 'DSL',
  deputyDSL: 'Deputy DSL',
  DT: 'Designated Teacher',
  headteacher: 'Headteacher',
  SENCO: 'SENCO',
  attendanceLead: 'Attendance lead',
  SLT: 'Senior leadership team',
  governor: 'Designated governor',
  teacher: 'Staff named in the profile',
};

const SINGLE_HOLDER: ReadonlySet<Role> = new Set(['DSL', 'DT', 'headteacher', 'SENCO', 'attendanceLead']);
const ROLE_ORDER: readonly Role[] = ['DSL', 'deputyDSL', 'DT', 'headteacher', 'SENCO', 'attendanceLead', 'SLT', 'governor', 'teacher'];

const nameList = (names: string[]) => (names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
const short = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/**
 * The difference between what is stored and what will be, in the words a headteacher would use:
 * "DSL changed from Megan Bowen to Priya Shah", "2 role holders added". Empty when nothing changes.
 */
export function describeChanges(before: SchoolProfile | undefined, after: SchoolProfile): string[] {
  if (!before) {
    const holders = after.staff.length;
    return [
      `New school ${after.name} (${after.id}): ${holders} ${holders === 1 ? 'person' : 'people'} named with roles, ${after.calendar.terms.length} terms, ${after.virtualSchools.length} Virtual School${after.virtualSchools.length === 1 ? '' : 's'}.`,
    ];
  }
  const out: string[] = [];
  const holders = (p: SchoolProfile, role: Role) => p.staff.filter((s) => s.roles.includes(role)).map((s) => s.name);
  for (const role of ROLE_ORDER) {
    const was = holders(before, role);
    const now = holders(after, role);
    const added = now.filter((n) => !was.includes(n));
    const removed = was.filter((n) => !now.includes(n));
    if (added.length === 0 && removed.length === 0) continue;
    const label = CHANGE_LABEL[role];
    if (SINGLE_HOLDER.has(role) && was.length > 0 && now.length > 0) out.push(`${label} changed from ${nameList(was)} to ${nameList(now)}`);
    else {
      if (added.length > 0) out.push(`${label}: ${nameList(added)} added`);
      if (removed.length > 0) out.push(`${label}: ${nameList(removed)} removed`);
    }
  }
  const ids = (p: SchoolProfile) => new Set(p.staff.map((s) => s.aadObjectId));
  const joined = after.staff.filter((s) => !ids(before).has(s.aadObjectId)).length;
  const left = before.staff.filter((s) => !ids(after).has(s.aadObjectId)).length;
  if (joined > 0) out.push(`${joined} role holder${joined === 1 ? '' : 's'} added`);
  if (left > 0) out.push(`${left} role holder${left === 1 ? '' : 's'} removed`);

  const vs = (p: SchoolProfile) => new Map(p.virtualSchools.map((v) => [v.localAuthority.toUpperCase(), v]));
  for (const [la, v] of vs(after)) {
    const old = vs(before).get(la);
    if (!old) out.push(`Virtual School for ${v.localAuthority} added (${v.email})`);
    else if (JSON.stringify(old) !== JSON.stringify(v)) out.push(`Virtual School for ${v.localAuthority} changed (${old.email} to ${v.email})`);
  }
  for (const [la, v] of vs(before)) if (!vs(after).has(la)) out.push(`Virtual School for ${v.localAuthority} removed`);

  if (JSON.stringify(before.calendar) !== JSON.stringify(after.calendar)) {
    const t = after.calendar.terms;
    out.push(`Term dates changed: ${t.length} term${t.length === 1 ? '' : 's'} (${t[0]!.name} to ${t.at(-1)!.name}), ${after.calendar.closures.length} closure day${after.calendar.closures.length === 1 ? '' : 's'}`);
  }
  for (const key of ORDER) {
    if (['id', 'staff', 'virtualSchools', 'calendar'].includes(key)) continue;
    const a = (before as Record<string, unknown>)[key];
    const b = (after as Record<string, unknown>)[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out.push(a === undefined ? `${key} set to ${short(b)}` : b === undefined ? `${key} removed (was ${short(a)})` : `${key} changed from ${short(a)} to ${short(b)}`);
  }
  return out;
}

/** The JSON Schema editors use (z.toJSONSchema of the file's schema, with each setting's help). */
export function profileFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(profileFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };
  for (const [key, help] of Object.entries(FIELD_HELP)) if (schema.properties?.[key]) schema.properties[key] = { description: help, ...schema.properties[key] };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/sw-cohort-teams-bot/schemas/school-profile.schema.json',
    title: 'School profile (sw-cohort-teams-bot)',
    description: 'A school\'s settings for the children-with-a-social-worker Teams app. Check with: npm run school -- validate <file>',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
