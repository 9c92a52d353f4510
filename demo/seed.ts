import { pupilSchema } from '../policy/pupil';
import { loadSchoolProfile, ProfileError } from '../policy/schoolProfile';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { DEMO_SCHOOL_ID, demoPupils, demoSchool } from './demoSchool';
import { PolicyProfileId } from '../policy/profiles';

/**
 * Loads the synthetic demo school when the store has no school at all (local mode only), under the
 * policy profile asked for; a demo school already there is switched to that profile (its data kept).
 */
export async function seedDemoSchoolIfEmpty(schools: SchoolRepository, pupils: PupilRepository, policy?: PolicyProfileId): Promise<string | undefined> {
  if (!(await schools.isEmpty())) {
    await refreshOutdatedDemo(schools, policy);
    if (policy) await switchDemoPolicy(schools, policy);
    return undefined;
  }
  const profile = loadSchoolProfile(policy ? { ...demoSchool, policy: { profile: policy } } : demoSchool);
  await pupils.saveAll(profile.id, demoPupils.map((p) => pupilSchema.parse(p)));
  // The profile goes last: its presence is what marks the store as seeded.
  await schools.save(profile);
  return profile.id;
}

async function switchDemoPolicy(schools: SchoolRepository, policy: PolicyProfileId): Promise<void> {
  const current = await schools.get(DEMO_SCHOOL_ID);
  // Only the synthetic demo school, and only when it is not already on that profile.
  if (!current?.synthetic || current.policy.profile === policy) return;
  await schools.save({ ...current, policy: { profile: policy, adds: [], omits: [] } });
}

/**
 * A demo school saved by an earlier version that this one can no longer read (it had a county pack
 * and no exclusions contact) is replaced by today's demo profile; its pupils and cases stay. Only the
 * synthetic demo school: a real school's profile is never rewritten by the app.
 */
async function refreshOutdatedDemo(schools: SchoolRepository, policy?: PolicyProfileId): Promise<void> {
  try {
    await schools.get(DEMO_SCHOOL_ID);
  } catch (err) {
    if (!(err instanceof ProfileError) || !(await schools.isSyntheticRow(DEMO_SCHOOL_ID))) throw err;
    await schools.save(loadSchoolProfile(policy ? { ...demoSchool, policy: { profile: policy } } : demoSchool));
  }
}
