/**
 * The Security area's permission evaluation for the caller: Has Permissions (GET, one boolean per
 * token) and Has Permissions Batch (POST, the batch back with `value` on each evaluation), answered
 * from the scenario's denials. permissions.evaluation "forbidden" answers 403, "absent" 404 as for a
 * path no controller serves.
 */
import { errors } from '../errors';
import { hasPermissions } from '../permission-evaluation';
import { controllerNotFound, list, ok, type Reply, type RequestContext, type Route } from '../route';
import { namespaceById } from '../security-namespaces';

/** The mode's answer when it is not "answer". */
function refusal(ctx: RequestContext): Reply | undefined {
  if (ctx.world.permissionEvaluation === 'absent') return controllerNotFound(ctx.path);
  if (ctx.world.permissionEvaluation === 'forbidden') throw errors.securityAccessDenied(ctx.world.identity);
  return undefined;
}

function permissionBits(value: unknown): number {
  const bits = Number(value);
  if (!Number.isInteger(bits) || bits < 0) throw errors.argument(`The permissions value '${String(value)}' is not a whole number.`);
  return bits;
}

function evaluate(ctx: RequestContext, namespaceId: string, permissions: unknown, token: string): boolean {
  const namespace = namespaceById(namespaceId);
  if (!namespace) throw errors.securityNamespaceNotFound(namespaceId);
  return hasPermissions(ctx.world, namespace, permissionBits(permissions), token);
}

interface EvaluationBatch {
  alwaysAllowAdministrators?: boolean;
  evaluations?: Array<{ securityNamespaceId?: string; token?: string; permissions?: number; value?: boolean }>;
}

export const securityRoutes: Route[] = [
  {
    name: 'security.permissions', method: 'GET', host: 'collection', pattern: '_apis/permissions/{securityNamespaceId}/{permissions}',
    handle: (ctx) => {
      const refused = refusal(ctx);
      if (refused) return refused;
      const delimiter = ctx.query.delimiter || ',';
      const tokens = (ctx.query.tokens ?? '').split(delimiter).filter((t) => t.length > 0);
      return list(tokens.map((t) => evaluate(ctx, ctx.params.securityNamespaceId, ctx.params.permissions, t)));
    },
  },
  {
    name: 'security.permissionEvaluationBatch', method: 'POST', host: 'collection', pattern: '_apis/security/permissionevaluationbatch',
    handle: (ctx) => {
      const refused = refusal(ctx);
      if (refused) return refused;
      const batch = (ctx.body ?? {}) as EvaluationBatch;
      if (!Array.isArray(batch.evaluations)) throw errors.argument('The evaluation batch needs an evaluations array.');
      return ok({
        alwaysAllowAdministrators: batch.alwaysAllowAdministrators ?? false,
        evaluations: batch.evaluations.map((e) => ({
          securityNamespaceId: e.securityNamespaceId,
          token: e.token,
          permissions: e.permissions,
          value: evaluate(ctx, e.securityNamespaceId ?? '', e.permissions, e.token ?? ''),
        })),
      });
    },
  },
];
