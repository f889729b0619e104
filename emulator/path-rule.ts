/**
 * What the service's web front does to a value carried in the URL path, before any route sees it (behaviour.pathRule,
 * on by default). ASP.NET checks the decoded Request.Path against its requestPathInvalidCharacters — by default
 * `< > * % & : \ ?` — and answers 400 HttpException "A potentially dangerous Request.Path value was detected from the
 * client (:)." naming the first such character, even when the client percent-encoded it (the check runs on the decoded
 * path). IIS, following Windows path rules, drops the trailing dots of the last path segment. Only routes that carry
 * free text in the path (tags) apply it: project names, ids and stage names never hold those characters.
 */
import { errors } from './errors';
import type { RequestContext } from './route';

/** ASP.NET's default HttpRuntimeSection.RequestPathInvalidCharacters ("<,>,*,%,&,:,\,?"). */
export const refusedInPath = ['<', '>', '*', '%', '&', ':', '\\', '?'];

/** The route value as the service's code receives it, or the 400 the service answers instead. */
export function pathValue(ctx: RequestContext, name: string): string {
  const value = ctx.params[name];
  if (!ctx.world.behaviour.pathRule) return value;
  const refused = [...value].find((c) => refusedInPath.includes(c));
  if (refused !== undefined) throw errors.dangerousPath(refused);
  return value.replace(/\.+$/, '');
}
