import { IsoDate } from './dates';
import { cohortFlags, Pupil } from './pupil';
import { Role } from './roles';

/**
 * Who may see what in the dashboard tab: need to know (KCSIE; Offord and the provider template,
 * "information is shared on a need-to-know basis"). Deny by default: a role not named here sees
 * nothing, and a class teacher raises concerns through the bot instead.
 */
export type TabView = 'cohort' | 'chronology' | 'actions' | 'digest' | 'importRegister' | 'settings';

/** The DSL, deputies and headteacher lead for every child in the cohort. */
const WHOLE_COHORT: ReadonlySet<Role> = new Set(['DSL', 'deputyDSL', 'headteacher']);

const VIEWS: Record<TabView, ReadonlySet<Role>> = {
  cohort: new Set(['DSL', 'deputyDSL', 'headteacher', 'DT']),
  chronology: new Set(['DSL', 'deputyDSL', 'headteacher', 'DT']),
  actions: new Set(['DSL', 'deputyDSL', 'headteacher', 'DT']),
  // Numbers only, no child named: for the senior leadership team as in the channel.
  digest: new Set(['DSL', 'deputyDSL', 'headteacher', 'DT', 'SLT']),
  // The register is the DT's and DSL's to keep (issue: "an upload in the tab for the DT/DSL").
  importRegister: new Set(['DSL', 'deputyDSL', 'DT']),
  // The school's settings (roles, Virtual Schools, term dates, its profile) are the DSL's and the
  // headteacher's to change (services/schoolSettings.ts, SETTINGS_ROLES). A trust's administrators
  // change them too: the server adds this view for them, as it knows who administers a trust.
  settings: new Set(['DSL', 'headteacher']),
};

export function mayUse(roles: readonly Role[], view: TabView): boolean {
  return roles.some((r) => VIEWS[view].has(r));
}

export function tabViews(roles: readonly Role[]): TabView[] {
  return (Object.keys(VIEWS) as TabView[]).filter((v) => mayUse(roles, v));
}

/**
 * Whose record a role holder may open. The DSL, deputies and head: any child on the register.
 * The Designated Teacher's role is for children in care and previously in care (Leys, "Roles
 * and Responsibilities": "The Designated Teacher for Children Looked After and Children Previously
 * Looked After is a Statutory Post"), so the DT opens those children's records only.
 */
export function mayOpenRecord(roles: readonly Role[], pupil: Pick<Pupil, 'statuses'>, today: IsoDate): boolean {
  if (roles.some((r) => WHOLE_COHORT.has(r))) return true;
  if (roles.includes('DT')) return cohortFlags(pupil, today).careExperienced;
  return false;
}
