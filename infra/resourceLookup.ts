// Finding resources in a template by type, and the expressions that point at them, read off the
// template itself so a check does not trust the code that built it.
import type { ArmResource, ArmResourceType, ArmTemplate } from './armTemplate';

export type ResourceOf<T extends ArmResourceType> = Extract<ArmResource, { type: T }>;

export function resourcesOfType<T extends ArmResourceType>(template: ArmTemplate, type: T): ResourceOf<T>[] {
  return template.resources.filter((resource): resource is ResourceOf<T> => resource.type === type);
}

/** The one resource of a type, or the problem that there is none or more than one. */
export function onlyResource<T extends ArmResourceType>(template: ArmTemplate, type: T, what: string): { resource: ResourceOf<T> } | { problem: string } {
  const found = resourcesOfType(template, type);
  if (found.length === 1 && found[0] !== undefined) return { resource: found[0] };
  return { problem: found.length === 0 ? `there is no ${what} (${type})` : `there are ${found.length} of ${what} (${type}); the template expects one` };
}

/** The inside of an expression (`[x]` → `x`), or the quoted literal for a plain string. */
export function innerExpression(value: string): string {
  return value.startsWith('[') && value.endsWith(']') && !value.startsWith('[[') ? value.slice(1, -1) : `'${value.replaceAll("'", "''")}'`;
}

/** `resourceId('type', name)` for a resource in this template (inner form, no brackets). */
export function idInner(resource: ArmResource): string {
  return `resourceId('${resource.type}', ${innerExpression(resource.name)})`;
}

export function idExpression(resource: ArmResource): string {
  return `[${idInner(resource)}]`;
}

/** Whether `value` reads `property` from reference(<resource's id>, …). */
export function isReferenceTo(value: string | undefined, resource: ArmResource, property: string): boolean {
  return value !== undefined && value.startsWith(`[reference(${idInner(resource)}, `) && value.endsWith(`).${property}]`);
}
