import { z } from 'zod';

/**
 * Roles a member of staff can hold in one school. Every member of staff listed in the school
 * profile is at least a `teacher` (meaning "any staff": class teachers, support staff, office).
 * Anyone not listed holds no role at all: deny by default.
 */
export const roleSchema = z.enum([
  'teacher',
  'DSL',
  'deputyDSL',
  'DT',
  'headteacher',
  'SENCO',
  'attendanceLead',
  'SLT',
  'governor',
]);
export type Role = z.infer<typeof roleSchema>;

export const ROLE_LABEL: Record<Role, string> = {
  teacher: 'Member of staff',
  DSL: 'Designated Safeguarding Lead (DSL)',
  deputyDSL: 'Deputy Designated Safeguarding Lead',
  DT: 'Designated Teacher for looked-after and previously looked-after children (DT)',
  headteacher: 'Headteacher',
  SENCO: 'Special educational needs co-ordinator (SENCO)',
  attendanceLead: 'Attendance lead',
  SLT: 'Senior leadership team',
  governor: 'Designated governor',
};

/** What a role may see of a child's case: the need-to-know principle (Offord; provider template 2.2, 2.3). */
export type View = 'staff' | 'lead' | 'slt';

/** Roles that see the full rationale, including why a child qualifies. */
const LEAD_ROLES: ReadonlySet<Role> = new Set(['DSL', 'deputyDSL', 'DT', 'headteacher']);

export function viewFor(roles: readonly Role[]): View | undefined {
  if (roles.some((r) => LEAD_ROLES.has(r))) return 'lead';
  if (roles.length > 0) return 'staff';
  return undefined;
}

/** Roles that may approve a step that leaves the school. */
export const APPROVER_ROLES: ReadonlySet<Role> = new Set(['DSL', 'deputyDSL']);

export function canApprove(roles: readonly Role[]): boolean {
  return roles.some((r) => APPROVER_ROLES.has(r));
}
