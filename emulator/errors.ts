/**
 * Error answers in the service's shape (codes and texts follow recorded answers where one exists;
 * the others carry a plain sentence rather than an invented TF/VS code): {"$id":"1","innerException":null,"message":"TF...",
 * "typeName":"<.NET type>, <assembly>","typeKey":"...","errorCode":0,"eventId":3000}.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly typeName: string,
    readonly typeKey: string,
    readonly eventId = 3000,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      $id: '1',
      innerException: null,
      message: this.message,
      typeName: this.typeName,
      typeKey: this.typeKey,
      errorCode: 0,
      eventId: this.eventId,
    };
  }
}

const BUILD = 'Microsoft.TeamFoundation.Build.WebApi';
const BUILD_ASSEMBLY = 'Microsoft.TeamFoundation.Build2.WebApi';
const RM = 'Microsoft.VisualStudio.Services.ReleaseManagement.Data.Exceptions';
const RM_ASSEMBLY = 'Microsoft.VisualStudio.Services.ReleaseManagement2.Data';
const FRAMEWORK = 'Microsoft.TeamFoundation.Framework.Server';
const COMMON = 'Microsoft.VisualStudio.Services.Common';

function buildError(status: number, key: string, message: string): ServiceError {
  return new ServiceError(status, message, `${BUILD}.${key}, ${BUILD_ASSEMBLY}`, key);
}

function releaseError(status: number, key: string, message: string): ServiceError {
  return new ServiceError(status, message, `${RM}.${key}, ${RM_ASSEMBLY}`, key);
}

export const errors = {
  projectNotFound: (name: string) => new ServiceError(404,
    `TF200016: The following project does not exist: ${name}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
    'Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi',
    'ProjectDoesNotExistWithNameException'),
  buildNotFound: (id: string | number) => buildError(404, 'BuildNotFoundException', `The requested build ${id} could not be found.`),
  definitionNotFound: (id: string | number) => buildError(404, 'DefinitionNotFoundException', `The requested build definition ${id} could not be found.`),
  timelineNotFound: (id: string) => buildError(404, 'TimelineNotFoundException', `The timeline ${id} could not be found.`),
  // No recorded answer: the build service's not-found shape with a plain sentence.
  leaseNotFound: (id: string | number) => buildError(404, 'RetentionLeaseNotFoundException', `The retention lease ${id} could not be found.`),
  stageNotFound: (name: string) => buildError(404, 'StageNotFoundException', `Stage ${name} was not found in the build.`),
  pipelineNotFound: (id: string | number) => new ServiceError(404, `Pipeline with id ${id} was not found.`,
    'Microsoft.Azure.Pipelines.WebApi.PipelineNotFoundException, Microsoft.Azure.Pipelines.WebApi', 'PipelineNotFoundException'),
  runNotFound: (id: string | number) => new ServiceError(404, `Run with id ${id} was not found.`,
    'Microsoft.Azure.Pipelines.WebApi.RunNotFoundException, Microsoft.Azure.Pipelines.WebApi', 'RunNotFoundException'),
  releaseNotFound: (id: string | number) => releaseError(404, 'ReleaseNotFoundException', `Release with id ${id} does not exist.`),
  releaseDefinitionNotFound: (id: string | number) => releaseError(404, 'ReleaseDefinitionNotFoundException',
    `Release definition with id ${id} does not exist.`),
  environmentNotFound: (id: string | number) => releaseError(404, 'ReleaseEnvironmentNotFoundException',
    `Environment with id ${id} does not exist.`),
  buildBadRequest: (message: string) => buildError(400, 'InvalidRequestException', message),
  invalidStageChange: (state: unknown) => buildError(400, 'InvalidTimelineRecordStateChange',
    `The stage state ${String(state)} is not a valid change; use Cancel (0), Retry (1), or Run (2) for a manually triggered stage.`),
  // The service maps InvalidPipelineOperationException to 409 for stage updates.
  invalidPipelineOperation: (message: string) => new ServiceError(409, message,
    'Microsoft.TeamFoundation.DistributedTask.WebApi.InvalidPipelineOperationException, Microsoft.TeamFoundation.DistributedTask.WebApi',
    'InvalidPipelineOperationException'),
  releaseBadRequest: (message: string) => releaseError(400, 'InvalidRequestException', message),
  // Recorded in public issue threads (microsoft/azure-devops-mcp#77, ankitbko/vscode-pull-request-azdo#90): the web
  // front's request validation, eventId 0; see path-rule.ts.
  dangerousPath: (character: string) => new ServiceError(400, `A potentially dangerous Request.Path value was detected from the client (${character}).`,
    'System.Web.HttpException, System.Web', 'HttpException', 0),
  argument: (message: string) => new ServiceError(400, message, `System.ArgumentException, mscorlib`, 'ArgumentException', 0),
  buildAccessDenied: (identity: string, permission: string, project: string, definition?: string) => buildError(403,
    'AccessDeniedException',
    `TF215106: Access denied. ${identity} needs ${permission} permissions for ${definition ? `build pipeline ${definition}` : 'build pipelines'} in team project ${project} to perform the action. For more information, contact the Azure DevOps Server administrator.`),
  releaseAccessDenied: (identity: string, permission: string) => releaseError(403, 'AccessDeniedException',
    `VS402904: Access denied: User ${identity} does not have ${permission.toLowerCase()} permission. Contact your release manager.`),
  // No recorded answer: the framework's access-check exception with a plain sentence.
  securityAccessDenied: (identity: string) => new ServiceError(403,
    `Access denied. ${identity} needs Read permissions for the Security namespace to perform the action.`,
    `${FRAMEWORK}.AccessCheckException, ${FRAMEWORK}`, 'AccessCheckException'),
  securityNamespaceNotFound: (id: string) => new ServiceError(404, `The security namespace ${id} was not found.`,
    `${FRAMEWORK}.InvalidSecurityNamespaceException, ${FRAMEWORK}`, 'InvalidSecurityNamespaceException'),
  versionOutOfRange: (requested: string) => new ServiceError(400,
    `The requested REST API version of ${requested} is out of range for this server. The latest REST API version this server supports is 7.2.`,
    `${COMMON}.VssVersionOutOfRangeException, ${COMMON}`, 'VssVersionOutOfRangeException'),
  internal: (activityId: string) => new ServiceError(500, `TF400898: An Internal Error Occurred. Activity Id: ${activityId}.`,
    `${COMMON}.VssServiceException, ${COMMON}`, 'VssServiceException'),
  vanished: () => new ServiceError(404, 'The requested resource no longer exists.',
    `${COMMON}.VssResourceNotFoundException, ${COMMON}`, 'VssResourceNotFoundException'),
  unavailable: (status = 503) => new ServiceError(status,
    'The service is temporarily unavailable. Try again later.',
    `${COMMON}.VssServiceException, ${COMMON}`, 'VssServiceException'),
  throttled: (resource: string) => new ServiceError(429,
    `TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource '${resource}' in namespace 'User'. For more information on why your request was blocked, see the topic "Rate limits" on the Microsoft Web site (https://go.microsoft.com/fwlink/?LinkId=823950).`,
    `${FRAMEWORK}.RequestBlockedException, ${FRAMEWORK}`, 'RequestBlockedException'),
};
