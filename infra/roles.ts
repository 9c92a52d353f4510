// The only two things the app's identity may do in Azure, each granted on the one resource it needs:
// read and write table entities in its own storage account, and read secrets in its own Key Vault.
// Nothing at resource-group or subscription scope, and no management-plane role at all.
import { API_VERSIONS } from './apiVersions';
import type { RoleAssignmentResource } from './armTemplate';
import { expression, literal } from './expressions';
import { IDENTITY_PRINCIPAL_ID, idOf, resourceIdExpression, scopeOf, type NamedResource } from './names';

/** Built-in role definition ids (the same in every Azure tenant). */
export const ROLE_DEFINITIONS = {
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
} as const;

export type RoleName = keyof typeof ROLE_DEFINITIONS;

/** Which resource each role is granted on. */
export const ROLE_SCOPES: Record<RoleName, NamedResource> = {
  storageTableDataContributor: 'storage',
  keyVaultSecretsUser: 'vault',
};

export function roleDefinitionId(role: RoleName): string {
  return expression(`subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${literal(ROLE_DEFINITIONS[role])})`);
}

/** Deterministic, so redeploying finds the same assignment instead of adding another. */
function assignmentName(role: RoleName): string {
  return `guid(${idOf(ROLE_SCOPES[role])}, ${idOf('identity')}, ${literal(ROLE_DEFINITIONS[role])})`;
}

/** The assignment's id, for resources that must wait until the identity holds the role. */
export function roleAssignmentId(role: RoleName): string {
  return expression(`extensionResourceId(${idOf(ROLE_SCOPES[role])}, 'Microsoft.Authorization/roleAssignments', ${assignmentName(role)})`);
}

export function roleAssignmentFor(role: RoleName): RoleAssignmentResource {
  const target = ROLE_SCOPES[role];
  return {
    type: 'Microsoft.Authorization/roleAssignments',
    apiVersion: API_VERSIONS.roleAssignments,
    name: expression(assignmentName(role)),
    scope: scopeOf(target),
    dependsOn: [resourceIdExpression(target), resourceIdExpression('identity')],
    properties: {
      roleDefinitionId: roleDefinitionId(role),
      principalId: IDENTITY_PRINCIPAL_ID,
      // Said outright, so a just-created identity is not looked up as a user and refused while
      // Entra ID is still replicating it.
      principalType: 'ServicePrincipal',
      description: `The bot's identity: ${role === 'storageTableDataContributor' ? 'table data in its own storage account' : 'secrets in its own Key Vault'} only.`,
    },
  };
}
