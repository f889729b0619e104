/** One request as the emulator saw and answered it. */
export interface RequestLogEntry {
  /** Scenario time (ms since start, scaled) when the request arrived. */
  time: number;
  method: string;
  /** The path as sent (still percent-encoded), without the query. */
  path: string;
  /** Query parameters, decoded. */
  query: Record<string, string>;
  /** HTTP status answered; 0 when the connection was reset. */
  status: number;
  /** Stable route name (see emulator/README.md), "unknown" when no route matched. */
  route: string;
  /** The api-version the client asked for (Accept header or query), if any. */
  apiVersion?: string;
  /** Parsed JSON request body, if any. */
  body?: unknown;
  /** The fault that answered instead of the route, if any. */
  fault?: string;
  /** The Origin header, when a browser page sent the request (see "CORS" in emulator/README.md). */
  origin?: string;
  /** The scheme of the Authorization header ("Bearer", "Basic"), when there was one; never the token. */
  authScheme?: string;
}
