/**
 * A request the service refused or could not answer, as the train view reads it: which request (in words), the HTTP
 * status, and the service's own message. The reader turns 403 and 404 into a line in the member's place.
 */
export class SourceError extends Error {
  constructor(
    /** What was asked for, in words: "run 123 in project 'Shop'". */
    readonly what: string,
    /** Absent for a network failure. */
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 403: the identity may not read it (View builds, View releases). */
export class ForbiddenError extends SourceError {}

/** 404: it is not there (deleted, perhaps by retention; or a project that does not exist). */
export class NotFoundError extends SourceError {}
