import { z } from 'zod';
import { BUSHEY_HEATH } from './busheyHeath';
import { CAMBRIDGESHIRE_MODEL } from './cambridgeshireModel';
import { Citation } from './citations';
import { HOLY_FAMILY } from './holyFamily';
import { LEYS } from './leys';
import { OFFORD } from './offord';
import { PolicyProfile, PolicyQuote } from './profile';
import { SCHOOL_RULE_IDS, SchoolRuleId } from './schoolRules';

export type { Citation } from './citations';
export type { PolicyProfile, PolicyQuote } from './profile';
export type { SchoolRuleId } from './schoolRules';

/** The five seed policies, each a profile a school can use (docs/DOMAIN.md, "The sources"). */
export const POLICY_PROFILES = {
  leys: LEYS,
  busheyHeath: BUSHEY_HEATH,
  holyFamily: HOLY_FAMILY,
  offord: OFFORD,
  cambridgeshireModel: CAMBRIDGESHIRE_MODEL,
} as const satisfies Record<string, PolicyProfile>;
export type PolicyProfileId = keyof typeof POLICY_PROFILES;
export const POLICY_PROFILE_IDS = Object.keys(POLICY_PROFILES) as [PolicyProfileId, ...PolicyProfileId[]];

const ruleIdSchema = z.enum(SCHOOL_RULE_IDS as [SchoolRuleId, ...SchoolRuleId[]], {
  error: (issue) => `"${String(issue.input)}" is not a rule this app knows; the rules are listed in policy/README.md`,
});

/**
 * A school's choice of policy: the profile closest to its own document, and (when its document is
 * not one of the five) its own title, what its policy adds or words differently, and what it leaves
 * out. Statutory duties are not in the catalogue and cannot be left out.
 */
export const schoolPolicySchema = z
  .object({
    profile: z.enum(POLICY_PROFILE_IDS, {
      error: (issue) => `policy profile "${String(issue.input)}" does not exist; choose one of: ${POLICY_PROFILE_IDS.join(', ')}`,
    }),
    /** The title of the school's own policy document, when it is not the profile's. */
    ownDocument: z.string().trim().min(5).max(300).optional(),
    /** Rules the school's own document states (a rule of the profile here takes the school's wording). */
    adds: z.array(z.object({ rule: ruleIdSchema, section: z.string().trim().min(1).max(200), quote: z.string().trim().min(5).max(2000) })).max(60).default([]),
    /** Rules of the profile the school's own document does not state. */
    omits: z.array(ruleIdSchema).max(60).default([]),
  })
  .superRefine((p, ctx) => {
    if ((p.adds.length > 0 || p.omits.length > 0) && !p.ownDocument) {
      ctx.addIssue({ code: 'custom', path: ['ownDocument'], message: 'a school that adds or leaves out rules must give the title of its own policy document (its quotes are from that document)' });
    }
    for (const id of p.omits) {
      if (p.adds.some((a) => a.rule === id)) ctx.addIssue({ code: 'custom', path: ['omits'], message: `rule ${id} is both added and left out` });
    }
  });
export type SchoolPolicy = z.infer<typeof schoolPolicySchema>;
export type SchoolPolicyInput = z.input<typeof schoolPolicySchema>;

/** The policy a school's plans apply: one document, and the sentence of it behind each rule it states. */
export interface ResolvedPolicy {
  profile: PolicyProfileId;
  document: string;
  has(rule: SchoolRuleId): boolean;
  cite(rule: SchoolRuleId): Citation | undefined;
}

export function resolvePolicy(setting: SchoolPolicy): ResolvedPolicy {
  const base = POLICY_PROFILES[setting.profile];
  const document = setting.ownDocument ?? base.document;
  const rules = new Map<SchoolRuleId, PolicyQuote>(Object.entries(base.rules) as Array<[SchoolRuleId, PolicyQuote]>);
  for (const id of setting.omits) rules.delete(id);
  for (const a of setting.adds) rules.set(a.rule, { section: a.section, quote: a.quote });
  const citations = new Map<SchoolRuleId, Citation>([...rules].map(([id, q]) => [id, { kind: 'policy', document, section: q.section, quote: q.quote }]));
  return {
    profile: setting.profile,
    document,
    has: (rule) => citations.has(rule),
    cite: (rule) => citations.get(rule),
  };
}
