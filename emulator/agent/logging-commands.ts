/** One `##vso[area.event k=v;...]message` line as the agent reads it. */
export interface ParsedCommand {
  /** `area.event`, e.g. `task.setvariable`. */
  command: string;
  area: string;
  event: string;
  properties: Record<string, string>;
  message: string;
  /** The raw line. */
  line: string;
}

const PREFIX = '##vso[';

/**
 * Parses a logging command the way the agent does: from the first `##vso[` anywhere in the line, properties split on
 * `;` and `=`, and the agent's escapes undone in properties and message (`%AZP25` last, so `%AZP253B` stays `%3B`).
 */
export function parseCommand(line: string): ParsedCommand | undefined {
  const start = line.indexOf(PREFIX);
  if (start < 0) return undefined;
  const end = line.indexOf(']', start);
  if (end < 0) return undefined;
  const body = line.slice(start + PREFIX.length, end);
  const space = body.indexOf(' ');
  const command = (space < 0 ? body : body.slice(0, space)).trim();
  const dot = command.indexOf('.');
  if (dot < 0) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of body.slice(space + 1).split(';')) {
      const eq = pair.indexOf('=');
      if (pair.trim() === '' || eq < 0) continue;
      properties[pair.slice(0, eq).trim()] = unescape(pair.slice(eq + 1));
    }
  }
  return {
    command,
    area: command.slice(0, dot),
    event: command.slice(dot + 1),
    properties,
    message: unescape(line.slice(end + 1)),
    line,
  };
}

function unescape(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%3B/g, ';')
    .replace(/%AZP25/g, '%');
}
