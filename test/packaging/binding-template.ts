/**
 * Enough of what the Azure DevOps server does with a task.json dataSourceBinding to run one against the emulator:
 * its templates (a Handlebars subset: `{{x}}`, `{{{x}}}`, `{{{#x}}}...{{{/x}}}`, the helpers `add` and
 * `isEqualNumber`) and its `jsonpath:` result selectors (`$.value[*]` and `$.value[?(@.key=='text')]`).
 * Anything outside that subset throws, so a binding that needs more fails the test instead of passing unread.
 */

export type Context = Record<string, unknown>;

export function renderTemplate(template: string, context: Context): string {
  const section = /\{\{\{?#([\w.-]+)\}?\}\}([\s\S]*?)\{\{\{?\/\1\}?\}\}/g;
  const withSections = template.replace(section, (_all, path: string, inner: string) =>
    truthy(lookup(context, path)) ? renderTemplate(inner, context) : '');
  return withSections.replace(/\{\{(\{?)\s*([^{}]+?)\s*\}?\}\}/g, (_all, triple: string, expression: string) => {
    const text = evaluate(expression, context);
    return triple ? text : escapeHtml(text);
  });
}

/** The items a `jsonpath:` selector picks from a response body. */
export function selectResults(selector: string, body: unknown): Context[] {
  const match = /^jsonpath:\$\.(\w+)\[(\*|\?\(@\.(\w+)\s*==\s*'([^']*)'\))\]$/.exec(selector);
  if (!match) throw new Error(`Unsupported result selector: ${selector}`);
  const [, array, , key, value] = match;
  const items = (body as Context)?.[array];
  if (!Array.isArray(items)) throw new Error(`The response has no array '${array}'`);
  return key ? items.filter((item) => String(item?.[key]) === value) : items;
}

function evaluate(expression: string, context: Context): string {
  const [head, ...args] = expression.split(/\s+/);
  const number = (arg: string) => Number(/^-?\d+$/.test(arg) ? arg : required(context, arg));
  if (head === 'add') return String(number(args[0]) + number(args[1]));
  if (head === 'isEqualNumber') return String(number(args[0]) === number(args[1]));
  if (args.length > 0) throw new Error(`Unsupported template helper '${head}'`);
  return String(required(context, head));
}

function required(context: Context, path: string): unknown {
  const value = lookup(context, path);
  if (value === undefined || value === null) throw new Error(`Template names '${path}', which the context does not hold`);
  return value;
}

function lookup(context: Context, path: string): unknown {
  // Header names hold dashes and dots of their own: try the longest key first.
  if (path in context) return context[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const inner = context[path.slice(0, dot)];
  return inner && typeof inner === 'object' ? lookup(inner as Context, path.slice(dot + 1)) : undefined;
}

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== '' && !(Array.isArray(value) && value.length === 0);
}

function escapeHtml(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return text.replace(/[&<>"'`=]/g, (c) => entities[c]);
}
