/**
 * Build properties as the property service stores them: typed primitive values, names compared
 * without regard to case. Values that are not primitives are kept as their JSON text, since the
 * service has no object type.
 */
import type { PropertyValue } from './model';

export function typedValue(value: unknown): PropertyValue {
  if (typeof value === 'string') return { $type: 'System.String', $value: value };
  if (typeof value === 'boolean') return { $type: 'System.Boolean', $value: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff
      ? { $type: 'System.Int32', $value: value }
      : { $type: 'System.Double', $value: value };
  }
  return { $type: 'System.String', $value: JSON.stringify(value) };
}

export function findName(props: Record<string, PropertyValue>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(props).find((k) => k.toLowerCase() === lower);
}

export function setProperty(props: Record<string, PropertyValue>, name: string, value: unknown): void {
  const existing = findName(props, name);
  if (existing !== undefined && existing !== name) delete props[existing];
  props[existing ?? name] = typedValue(value);
}

export function removeProperty(props: Record<string, PropertyValue>, name: string): void {
  const existing = findName(props, name);
  if (existing !== undefined) delete props[existing];
}

export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** Applies add/replace/remove operations whose path is "/<name>"; returns an error text or undefined. */
export function applyPatch(props: Record<string, PropertyValue>, ops: JsonPatchOperation[]): string | undefined {
  for (const op of ops) {
    if (!op || typeof op.path !== 'string' || !op.path.startsWith('/')) {
      return `The path '${op?.path}' of a JSON patch operation is not a property path.`;
    }
    // JSON pointer escapes: ~1 is '/', ~0 is '~'.
    const name = op.path.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
    switch (String(op.op).toLowerCase()) {
      case 'add':
      case 'replace':
        setProperty(props, name, op.value);
        break;
      case 'remove':
        removeProperty(props, name);
        break;
      default:
        return `The JSON patch operation '${op.op}' is not supported for properties.`;
    }
  }
  return undefined;
}
