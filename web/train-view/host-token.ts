/**
 * The user's access token, as the host hands it to the page (SDK.getAccessToken). Kept until a minute before the
 * expiry its JWT names (real time: the token expires on the service's clock, whatever the page's scale), then asked
 * for again; `invalidate` drops it when the service answered 401, so the next read asks the host for a new one.
 * A token whose expiry cannot be read is kept five minutes.
 */
export class HostToken {
  private token: string | undefined;
  private renewAt = 0;

  constructor(
    private readonly ask: () => Promise<string>,
    private readonly realNow: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.token === undefined || this.realNow() >= this.renewAt) {
      const token = await this.ask();
      const expires = jwtExpiryMs(token);
      this.token = token;
      this.renewAt = expires !== undefined ? expires - 60_000 : this.realNow() + 5 * 60_000;
    }
    return this.token;
  }

  invalidate(): void {
    this.token = undefined;
  }
}

/** The `exp` claim of a JWT, in ms; undefined for anything else. */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')));
    return typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
