import { pupilSchema } from '../policy/pupil';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { demoPupils, demoSchool } from './demoSchool';

/** Loads the synthetic demo school when the store has no school at all (local mode only). */
export async function seedDemoSchoolIfEmpty(schools: SchoolRepository, pupils: PupilRepository): Promise<string | undefined> {
  if (!(await schools.isEmpty())) return undefined;
  const profile = loadSchoolProfile(demoSchool);
  await pupils.saveAll(profile.id, demoPupils.map((p) => pupilSchema.parse(p)));
  // The profile goes last: its presence is what marks the store as seeded.
  await schools.save(profile);
  return profile.id;
}
