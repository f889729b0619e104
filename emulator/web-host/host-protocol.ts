/**
 * The host's end of the channel an extension page talks over: the XDM protocol of azure-devops-extension-sdk 5, seen
 * from the parent window. The page's end is node_modules/azure-devops-extension-sdk/esm/XDM.js (and SDK.js, which
 * uses it); read them beside this — every rule below answers one of theirs.
 *
 * The wire:
 * - Every message is a JSON **string** sent with `postMessage(text, "*")`; the SDK ignores anything else.
 * - A call is `{id, methodName, instanceId, instanceContext?, params, serializationSettings?, handshakeToken?}`.
 *   The page calls objects the host registers: `DevOps.HostControl` (initialHandshake, getAccessToken,
 *   notifyLoadSucceeded, notifyLoadFailed, resize), `DevOps.ServiceManager` (getService). The host calls the page's
 *   `DevOps.SdkClient` (dispatchEvent, e.g. "themeChanged") and the page's functions it was given.
 * - An answer is `{id, result}` or `{id, error}`, with the `handshakeToken` of the call echoed. The page's channel
 *   starts without a known origin: it accepts the first answer only when it carries the token it sent with its
 *   `initialHandshake`, and from then on accepts messages from the origin that answered.
 * - A function inside a value travels as `{__proxyFunctionId: n, _channelId}`; the receiver gets a function that calls
 *   `proxy<n>` on the sender's `__proxyFunctions` object (with `serializationSettings.includeUnderscoreProperties`).
 *   A Date travels as `{__proxyDate: ms}`. Properties whose names start with `_` are left out unless those settings
 *   say otherwise; undefined values are left out.
 * - Unknown object: error "The registered object X could not be found."; unknown method: "RPC method not found: X".
 *
 * This function runs in the browser: the web host serves its source text (Function.prototype.toString) in host.js.
 * It must stay self-contained — nothing from outside its body at run time (type imports only).
 */
export interface HostEndpoint {
  /** Hands the endpoint a message string that came from the page's window and origin. */
  receive(text: string): void;
  /** Calls a method of an object the page registered (e.g. "dispatchEvent" on "DevOps.SdkClient"). */
  call(methodName: string, instanceId: string, params: unknown[]): Promise<unknown>;
}

/** Called with the objects the host exposes, by instance id; each method may return a value or a promise. */
export type HostObjects = Record<string, Record<string, unknown>>;

export function createHostEndpoint(post: (text: string) => void, objects: HostObjects): HostEndpoint {
  interface Message {
    id: number;
    methodName?: string;
    instanceId?: string;
    instanceContext?: unknown;
    params?: unknown[];
    result?: unknown;
    error?: unknown;
    handshakeToken?: string;
    serializationSettings?: { includeUnderscoreProperties?: boolean };
  }
  type Settings = Message['serializationSettings'];

  const CHANNEL_ID = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  // The host's functions the page holds proxies to, as XDM keeps them: "proxy<n>" -> function.
  const proxyFunctions: Record<string, (...args: unknown[]) => unknown> = {};
  let nextMessageId = 1;
  let nextProxyId = 1;

  /** As XDM's _customSerializeObject: functions become proxies, Dates {__proxyDate}, `_names` and undefined dropped. */
  function serialize(value: unknown, settings: Settings, depth = 1): unknown {
    if (depth > 100) return undefined;
    if (typeof value === 'function') {
      const id = nextProxyId++;
      const fn = value as (...args: unknown[]) => unknown;
      proxyFunctions[`proxy${id}`] = (...args: unknown[]) => fn(...args);
      return { __proxyFunctionId: id, _channelId: CHANNEL_ID };
    }
    if (value instanceof Date) return { __proxyDate: value.getTime() };
    if (Array.isArray(value)) return value.map((item) => serialize(item, settings, depth + 1));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key.startsWith('_') && !settings?.includeUnderscoreProperties) continue;
        const item = serialize((value as Record<string, unknown>)[key], settings, depth + 1);
        if (item !== undefined) out[key] = item;
      }
      return out;
    }
    return value;
  }

  /** As XDM's _customDeserializeObject: proxies become functions calling back, {__proxyDate} a Date. */
  function deserialize(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(deserialize);
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.__proxyFunctionId === 'number') {
        const name = `proxy${record.__proxyFunctionId}`;
        return (...args: unknown[]) => call(name, '__proxyFunctions', args, { includeUnderscoreProperties: true });
      }
      if (typeof record.__proxyDate === 'number') return new Date(record.__proxyDate);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(record)) out[key] = deserialize(record[key]);
      return out;
    }
    return value;
  }

  function send(message: Message): void {
    post(JSON.stringify(message));
  }

  /** Errors cross as plain objects; the SDK rejects the page's promise with what arrives. */
  function errorValue(e: unknown): unknown {
    if (e instanceof Error) return { name: e.name, message: e.message };
    return typeof e === 'string' ? e : { message: String(e) };
  }

  function answer(to: Message, outcome: { result: unknown } | { error: unknown }): void {
    if ('error' in outcome) send({ id: to.id, error: errorValue(outcome.error), handshakeToken: to.handshakeToken });
    else send({ id: to.id, result: serialize(outcome.result, to.serializationSettings), handshakeToken: to.handshakeToken });
  }

  function onCall(message: Message): void {
    const target = message.instanceId === '__proxyFunctions' ? proxyFunctions : objects[message.instanceId!];
    if (!target) {
      answer(message, { error: new Error(`The registered object ${message.instanceId} could not be found.`) });
      return;
    }
    // An empty method name asks for the object itself.
    if (!message.methodName) {
      answer(message, { result: target });
      return;
    }
    const method = (target as Record<string, unknown>)[message.methodName];
    if (typeof method !== 'function') {
      answer(message, { error: new Error(`RPC method not found: ${message.methodName}`) });
      return;
    }
    try {
      const args = (deserialize(message.params ?? []) as unknown[]) ?? [];
      const result: unknown = method.apply(target, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then((r) => answer(message, { result: r }), (e: unknown) => answer(message, { error: e }));
      } else {
        answer(message, { result });
      }
    } catch (e) {
      answer(message, { error: e });
    }
  }

  function onAnswer(message: Message): void {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(deserialize(message.error));
    else waiting.resolve(deserialize(message.result));
  }

  function call(methodName: string, instanceId: string, params: unknown[], settings?: Settings): Promise<unknown> {
    const id = nextMessageId++;
    const promise = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
    send({ id, methodName, instanceId, params: serialize(params, settings) as unknown[], ...(settings ? { serializationSettings: settings } : {}) });
    return promise;
  }

  return {
    receive(text: string): void {
      let message: Message;
      try {
        message = JSON.parse(text) as Message;
      } catch {
        return; // not one of ours
      }
      if (!message || typeof message !== 'object') return;
      if (message.instanceId) onCall(message);
      else onAnswer(message);
    },
    call: (methodName, instanceId, params) => call(methodName, instanceId, params),
  };
}
