// What a trust supplies when it deploys. Everything else is derived from these, so one trust's
// deployment differs from another's only here.
import type { ArmParameter } from './armTemplate';

export const TEMPLATE_PARAMETERS = {
  trustName: {
    type: 'string',
    minLength: 3,
    maxLength: 16,
    metadata: {
      description:
        'A short name for the trust: 3 to 16 lower-case letters and digits (for example "oakfieldmat"). Every resource name is made from it, and the storage account and Key Vault refuse anything else.',
    },
  },
  location: {
    type: 'string',
    defaultValue: '[resourceGroup().location]',
    metadata: { description: 'The Azure region, for example uksouth. By default, the resource group\'s region.' },
  },
  tenantId: {
    type: 'string',
    // A tenant id is a GUID: an unfilled placeholder fails here, before anything is created.
    minLength: 36,
    maxLength: 36,
    metadata: { description: 'The trust\'s Microsoft Entra tenant id (a GUID): the tenant staff sign in to Teams with.' },
  },
  tabAppClientId: {
    type: 'string',
    // A client id is a GUID: an unfilled placeholder fails here too.
    minLength: 36,
    maxLength: 36,
    metadata: { description: 'The client id of the Entra app registration for the tab\'s single sign-on (aad.manifest.json); the toolkit creates it first.' },
  },
  operatorEmail: {
    type: 'string',
    minLength: 3,
    metadata: { description: 'The mailbox that receives alerts (the IT team, not a person who may leave).' },
  },
  digestApiKey: {
    type: 'securestring',
    // The app refuses a shorter key; a placeholder left unfilled is shorter, so it fails here too.
    minLength: 24,
    metadata: { description: 'The bearer key for POST /api/digest (at least 24 characters). It goes only into Key Vault.' },
  },
  tablePrefix: {
    type: 'string',
    defaultValue: '',
    maxLength: 21,
    metadata: { description: 'Optional: a prefix for the table names, when more than one deployment shares a storage account.' },
  },
  appServicePlanSku: {
    type: 'string',
    defaultValue: 'B1',
    allowedValues: ['B1', 'P0v3'],
    metadata: { description: 'B1 for a trust of a few schools; P0v3 when it needs more headroom.' },
  },
} as const satisfies Record<string, ArmParameter>;

export type ParameterName = keyof typeof TEMPLATE_PARAMETERS;

export function parameter(name: ParameterName): string {
  return `parameters('${name}')`;
}
