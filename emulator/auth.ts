/**
 * Checks the Authorization header as the service does for a PAT (Basic, any user name, the token as
 * password) or a bearer token. A 401 has an EMPTY body and WWW-Authenticate headers, as recorded.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './route';

export class Auth {
  private seen = 0;

  constructor(
    private readonly token: string,
    /** Every request after the first N is refused (a token that expires mid-run). */
    public failAfterRequests?: number,
  ) {}

  /** undefined when the request may go on; otherwise the 401 to answer. */
  check(headers: IncomingHttpHeaders, realm: string): Reply | undefined {
    this.seen += 1;
    if (this.failAfterRequests !== undefined && this.seen > this.failAfterRequests) return unauthorized(realm);
    // Every route wants the token, discovery included. (The service lets anonymous callers read
    // resource areas; the emulator is stricter so a client that lost its token fails at once.)
    const header = headers.authorization;
    return header && this.accepts(header) ? undefined : unauthorized(realm);
  }

  private accepts(header: string): boolean {
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme.toLowerCase() === 'bearer') return value === this.token;
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 && decoded.slice(colon + 1) === this.token;
    }
    return false;
  }
}

export function unauthorized(realm: string): Reply {
  return {
    status: 401,
    headers: {
      'WWW-Authenticate': [
        'Bearer authorization_uri=https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000',
        `Basic realm="${realm}"`,
        'TFS-Federated',
      ],
      'X-TFS-FedAuthRealm': realm,
    },
  };
}
