import { readFileSync } from 'node:fs';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { z } from 'zod';
import { MANIFEST_VERSION, type TeamsManifest } from './manifest';
import { teamsRuleProblems } from './teamsRules';

/**
 * Validates the manifest against the official Teams schema shipped inside @microsoft/app-manifest.
 * The schema is read from disk and handed over explicitly: given only the manifest, the library
 * would fetch the schema from its $schema URL, and packaging must work offline.
 */

type ManifestSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

export const MANIFEST_SCHEMA_PATH = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);

// Enough of the file's shape to be sure it is the schema for our manifest version.
const schemaFileShape = z.looseObject({
  $schema: z.string(),
  properties: z.looseObject({ manifestVersion: z.looseObject({ const: z.literal(MANIFEST_VERSION) }) }),
});

export function loadManifestSchema(file: string = MANIFEST_SCHEMA_PATH): ManifestSchema {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  schemaFileShape.parse(json);
  // The library types the schema as a JSON Schema for its manifest union, which parsed JSON cannot
  // be proven to be; the check above is what makes this assertion safe.
  return json as ManifestSchema;
}

/** Schema errors, as the library reports them ("<JSON pointer> <message>. Details: ..."). */
export function schemaProblems(manifest: TeamsManifest, schema: ManifestSchema = loadManifestSchema()): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest, schema);
}

/** Everything wrong with the manifest: the official schema first, then the rules Teams adds on upload. */
export async function manifestProblems(manifest: TeamsManifest, schema?: ManifestSchema): Promise<string[]> {
  return [...(await schemaProblems(manifest, schema)).map((p) => `schema: ${p}`), ...teamsRuleProblems(manifest)];
}
