// The deployment parameter file (infra/azure.parameters.json). It holds placeholders, never values:
// the Agents Toolkit replaces each `${{NAME}}` from infra/env/.env.<environment> (and the SECRET_ one
// from the git-ignored .env.<environment>.user) before it deploys; with the Azure CLI, the IT lead
// passes the values on the command line instead (see infra/README.md). The placeholders are chosen
// so that one left unreplaced fails the template's own length checks before anything is created.
import type { ArmTemplate } from './armTemplate';
import type { ParameterName } from './parameters';

const DEPLOYMENT_PARAMETERS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/** The environment variable that fills each parameter a trust must supply. */
export const PARAMETER_PLACEHOLDERS: Partial<Record<ParameterName, string>> = {
  trustName: 'TRUST_SHORT_NAME',
  // Written by aadApp/create: the tenant the IT lead signed in to, which is the trust's.
  tenantId: 'AAD_APP_TENANT_ID',
  // Written by aadApp/create: the tab's single sign-on registration.
  tabAppClientId: 'AAD_APP_CLIENT_ID',
  operatorEmail: 'OPERATOR_EMAIL',
  // SECRET_ names are kept in the .user file, which is not committed.
  digestApiKey: 'SECRET_DIGEST_KEY',
};

export interface ParametersFile {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { value: string }>;
}

export function parametersFile(template: ArmTemplate): ParametersFile {
  const placeholders: Readonly<Record<string, string | undefined>> = PARAMETER_PLACEHOLDERS;
  const parameters: Record<string, { value: string }> = {};
  for (const [name, definition] of Object.entries(template.parameters)) {
    if (definition.defaultValue !== undefined) continue;
    const placeholder = placeholders[name];
    if (placeholder === undefined) throw new Error(`Template parameter ${name} has no default and no placeholder in infra/parametersFile.ts`);
    parameters[name] = { value: `\${{${placeholder}}}` };
  }
  return { $schema: DEPLOYMENT_PARAMETERS_SCHEMA, contentVersion: '1.0.0.0', parameters };
}
