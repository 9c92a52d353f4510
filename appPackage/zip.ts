import JSZip from 'jszip';
import { AppIcons } from './icons';
import { PACKAGE_FILES, type TeamsManifest } from './manifest';

// A fixed timestamp keeps the zip reproducible: the same manifest gives the same bytes (zip
// times are local, so in the same time zone).
const FILE_DATE = new Date(Date.UTC(2026, 0, 1));

/** The Teams app package: manifest.json and the two icons at the root of a zip, as Teams requires. */
export async function buildAppPackage(manifest: TeamsManifest, icons: AppIcons): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(PACKAGE_FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`, { date: FILE_DATE });
  zip.file(PACKAGE_FILES.colorIcon, icons.color, { date: FILE_DATE });
  zip.file(PACKAGE_FILES.outlineIcon, icons.outline, { date: FILE_DATE });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}
