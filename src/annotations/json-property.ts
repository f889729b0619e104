/**
 * Reads a build property Lockstep wrote as JSON text. The client hands properties over as the wire has them,
 * `{Name: {$type, $value}}`; anything missing, unparsable or not of the expected shape reads as undefined.
 */
export function readJsonProperty<T>(properties: unknown, name: string, isValid: (value: T) => boolean): T | undefined {
  const raw = (properties as Record<string, { $value?: unknown } | undefined> | undefined)?.[name];
  const text = typeof raw === 'object' && raw !== null ? raw.$value : raw;
  if (typeof text !== 'string') return undefined;
  try {
    const value = JSON.parse(text) as T;
    return value !== null && typeof value === 'object' && isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
