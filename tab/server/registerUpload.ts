import { RegisterImporter } from '../../services/registerImporter';
import { RegisterUpload } from './tabRoutes';

/**
 * The tab's register upload: the same importer as `npm run import`, as the signed-in DT or DSL,
 * so every load is audited with their name. A dry run ("Check the file") writes nothing.
 */
export function registerUpload(importer: RegisterImporter): RegisterUpload {
  return async (membership, csv, dryRun) => {
    const report = await importer.import(membership.school.id, csv, { aadObjectId: membership.member.aadObjectId, name: membership.member.name }, { dryRun });
    return {
      // 200 either way: the request worked, and the report says whether the file was refused.
      status: 200,
      body: { ...report, written: report.outcome === 'imported' },
    };
  };
}
