/**
 * The route logic both adapters share, in one place: mount-time option checks, the
 * per-request `juspay` object, and the ready-made delete route (method, Fetch Metadata
 * and Origin checks, session customer, content type, size, body, `customer_id` match,
 * the call, and the mapping of every outcome to a status, code and safe message).
 *
 * Adapters only translate their framework's request into a {@link RouteRequest} and
 * write the {@link RouteResponse} back.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { parse as parseContentType } from 'content-type';
import getRawBody from 'raw-body';
import { JuspayClient, type DeleteTokenOptions, type DeleteTokenResult } from './client.js';
import { JuspayError, JuspayRateLimitError, JuspayUnauthenticatedError } from './errors.js';
import { describeIdProblem } from './input.js';
import type { JuspayClientOptions } from './options.js';

/** The path the route is mounted on unless `route.path` says otherwise. */
export const DEFAULT_ROUTE_PATH = '/juspay/cards/delete';
/** The largest request body the route accepts. */
export const MAX_ROUTE_BODY_BYTES = 16 * 1024;

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** Options shared by `@juspay-tokens/express` and `@juspay-tokens/koa`; `Req` is the framework's request (Express `req`, Koa `ctx`). */
export interface JuspayMiddlewareOptions<Req> {
  /** A client you built (and close). Give this or `clientOptions`, not both. */
  client?: JuspayClient | undefined;
  /** Options for a client the middleware builds for you. Give this or `client`, not both. */
  clientOptions?: JuspayClientOptions | undefined;
  /**
   * Returns the signed-in customer's Juspay `customer_id` from the session; `undefined`,
   * `null` or `''` when nobody is signed in. Sync or async. Called each time a delete
   * happens, never cached. An exception it throws goes to the framework's error handling.
   */
  customerId: (req: Req) => MaybePromise<string | undefined | null>;
  /** Returns the `x-routing-id` to send; defaults to the customer id. Sync or async. */
  routingId?: ((req: Req) => MaybePromise<string | undefined | null>) | undefined;
  /** Where to mount the ready-made route (`{ path: '/juspay/cards/delete' }` by default); `false` mounts none. */
  route?: { path?: string | undefined } | false | undefined;
  /**
   * Origins allowed to call the route cross-site, e.g. `['https://shop.example']`. A
   * same-origin request never needs to be listed.
   */
  trustedOrigins?: readonly string[] | undefined;
  /** Called for every upstream failure and every unexpected error of the route (for logging). Its own exceptions are ignored. */
  onError?: ((err: unknown, req: Req) => void) | undefined;
}

/** What `req.juspay` / `ctx.juspay` is: `deleteToken` bound to the signed-in customer. */
export interface JuspayRequestContext {
  /**
   * Deletes one of the signed-in customer's saved cards. The customer and routing id come
   * from the session through the middleware's resolvers.
   * @throws {JuspayUnauthenticatedError} (code `UNAUTHENTICATED`) when nobody is signed in.
   */
  deleteToken(cardReference: string, options?: DeleteTokenOptions): Promise<DeleteTokenResult>;
  /** The underlying client, for calls on behalf of another customer (e.g. back-office jobs). */
  readonly client: JuspayClient;
}

/** Error codes the route answers with. */
export type RouteErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CROSS_SITE_REQUEST'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UPSTREAM_AUTH_FAILED'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'INTERNAL_ERROR';

/** The route's answer, for the adapter to write back. The body is to be sent as JSON. */
export interface RouteResponse {
  status: number;
  headers: Record<string, string>;
  body: { status: 'SUCCESS' } | { error: { code: RouteErrorCode; message: string } };
}

/** A framework-neutral description of a request to the route. */
export interface RouteRequest {
  method: string;
  /** Lower-case header names, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** The request stream, read by the route when no body parser consumed it. */
  stream: Readable;
  /** What a body parser that ran before the route left (`req.body`, `ctx.request.body`). */
  parsedBody?: unknown;
  /** The error of a body parser that ran before the route, when it failed. */
  parseError?: unknown;
}

/** What an adapter builds once, at mount time. */
export interface JuspayRouteCore<Req> {
  /** The client calls go through. */
  readonly client: JuspayClient;
  /** The route's path, or `undefined` when `route: false`. */
  readonly path: string | undefined;
  /** Whether a request path is the route's (a trailing slash is tolerated). */
  matches(path: string): boolean;
  /** The per-request `juspay` object. */
  context(req: Req): JuspayRequestContext;
  /**
   * Runs the route. Resolves with the response to write; rejects only with an exception
   * from a resolver, which belongs to the framework's error handling.
   */
  handle(req: Req, request: RouteRequest): Promise<RouteResponse>;
}

const NO_STORE = { 'cache-control': 'no-store' };

function fail(
  status: number,
  code: RouteErrorCode,
  message: string,
  headers: Record<string, string> = {},
): RouteResponse {
  return { status, headers: { ...NO_STORE, ...headers }, body: { error: { code, message } } };
}

/** A fixed answer shared by every request: frozen through, so no caller can alter it for the next. */
function fixed(answer: RouteResponse): RouteResponse {
  Object.freeze(answer.headers);
  if ('error' in answer.body) Object.freeze(answer.body.error);
  Object.freeze(answer.body);
  return Object.freeze(answer);
}

const SUCCESS = fixed({ status: 200, headers: { ...NO_STORE }, body: { status: 'SUCCESS' } });

// The fixed answers, each spelled once; built at load time, never mutated.
const TOO_LARGE = fixed(
  fail(413, 'PAYLOAD_TOO_LARGE', `The request body must be at most ${MAX_ROUTE_BODY_BYTES} bytes.`),
);
const NOT_JSON_MEDIA = fixed(
  fail(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request as application/json in UTF-8.'),
);
const NOT_AN_OBJECT = fixed(fail(400, 'INVALID_INPUT', 'The request body must be a JSON object.'));
const SIGN_IN = fixed(fail(401, 'UNAUTHENTICATED', 'Sign in to manage your saved cards.'));
const INTERNAL = fixed(fail(500, 'INTERNAL_ERROR', 'Something went wrong. Please try again later.'));
const UNAVAILABLE = fixed(
  fail(502, 'UPSTREAM_UNAVAILABLE', 'The card service is unavailable. Please try again later.'),
);

function normaliseOrigin(owner: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`${owner}: trustedOrigins must hold origin strings`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${owner}: trustedOrigins entry ${JSON.stringify(value)} is not a URL origin`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  ) {
    throw new TypeError(
      `${owner}: trustedOrigins entry ${JSON.stringify(value)} must be an origin like "https://shop.example" (scheme, host and port only)`,
    );
  }
  return url.origin;
}

async function resolveId<Req>(
  resolver: (req: Req) => MaybePromise<string | undefined | null>,
  req: Req,
  name: string,
  owner: string,
): Promise<string | undefined> {
  // A resolver's own exception propagates as is: it belongs to the framework's error handling.
  const value: unknown = await resolver(req);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new TypeError(
      `${owner}: the ${name} resolver must return a string, undefined or null (got ${typeof value})`,
    );
  }
  return value;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The user-facing text of Juspay's `user_message`: printable, short, or a fallback. */
function safeUserMessage(err: JuspayError): string {
  const text = err.userMessage?.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  if (text === undefined || text === '')
    return 'The card could not be deleted: the card reference is not valid for this customer.';
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Maps the call's error to the route's answer. */
function upstreamFailure(err: JuspayError): RouteResponse {
  switch (err.code) {
    case 'INVALID_REQUEST':
      return fail(400, 'INVALID_REQUEST', safeUserMessage(err));
    case 'AUTHENTICATION_FAILED':
      return fail(502, 'UPSTREAM_AUTH_FAILED', 'The card service is unavailable. Please try again later.');
    case 'RATE_LIMITED': {
      const ms = err instanceof JuspayRateLimitError ? err.retryAfterMs : undefined;
      const seconds = ms === undefined ? 1 : Math.max(1, Math.ceil(ms / 1000));
      return fail(503, 'UPSTREAM_RATE_LIMITED', 'The card service is busy. Please try again shortly.', {
        'retry-after': String(seconds),
      });
    }
    case 'TIMEOUT':
      return fail(504, 'UPSTREAM_TIMEOUT', 'The card service did not answer in time. Please try again.');
    case 'UNAUTHENTICATED':
      return SIGN_IN;
    case 'INVALID_INPUT':
      // The card reference was checked already, so the customer or routing id from the
      // session broke the rules: the server's fault, not the shopper's.
      return INTERNAL;
    default:
      return UNAVAILABLE;
  }
}

/** A body parser's error, as its status (body-parser, co-body and raw-body all set one). */
function parserErrorStatus(err: unknown): number {
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : 400;
}

/**
 * Whether an error from a body parser that ran before the route is one the route answers
 * itself (a malformed, oversized or undecodable body) rather than the framework.
 */
export function isBodyParserError(err: unknown): boolean {
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return false;
  const status = parserErrorStatus(err);
  return status === 400 || status === 413 || status === 415;
}

/**
 * Checks the middleware options at mount time and builds what the adapter needs.
 * @param owner The adapter's package name, used in error messages.
 * @throws {TypeError} naming the option and the fix.
 */
export function createJuspayRouteCore<Req>(
  options: JuspayMiddlewareOptions<Req>,
  owner: string,
): JuspayRouteCore<Req> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${owner}: juspay() needs options, e.g. juspay({ clientOptions: { apiKey }, customerId: ... })`,
    );
  }
  const { client: given, clientOptions, customerId, routingId, route, trustedOrigins, onError } = options;
  if (given !== undefined && clientOptions !== undefined) {
    throw new TypeError(`${owner}: pass either "client" or "clientOptions", not both`);
  }
  if (given === undefined && clientOptions === undefined) {
    throw new TypeError(
      `${owner}: pass "client: new JuspayClient({ apiKey })" or "clientOptions: { apiKey }" so the middleware can reach Juspay`,
    );
  }
  if (given !== undefined && typeof (given as { deleteToken?: unknown }).deleteToken !== 'function') {
    throw new TypeError(`${owner}: "client" must be a JuspayClient from @juspay-tokens/core`);
  }
  if (typeof customerId !== 'function') {
    throw new TypeError(
      `${owner}: "customerId" must be a function returning the signed-in customer's id from the session, e.g. customerId: (req) => req.session.customerId`,
    );
  }
  if (routingId !== undefined && typeof routingId !== 'function') {
    throw new TypeError(`${owner}: "routingId" must be a function (or left out to use the customer id)`);
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError(`${owner}: "onError" must be a function`);
  }
  let path: string | undefined = DEFAULT_ROUTE_PATH;
  if (route === false) path = undefined;
  else if (route !== undefined) {
    if (typeof route !== 'object' || route === null) {
      throw new TypeError(`${owner}: "route" must be { path } or false`);
    }
    if (route.path !== undefined) {
      if (typeof route.path !== 'string' || !route.path.startsWith('/')) {
        throw new TypeError(`${owner}: "route.path" must be a string starting with "/"`);
      }
      path = route.path.length > 1 ? route.path.replace(/\/+$/, '') : route.path;
    }
  }
  if (trustedOrigins !== undefined && !Array.isArray(trustedOrigins)) {
    throw new TypeError(
      `${owner}: "trustedOrigins" must be an array of origins like ["https://shop.example"]`,
    );
  }
  const trusted = new Set((trustedOrigins ?? []).map((origin) => normaliseOrigin(owner, origin)));
  const client = given ?? new JuspayClient(clientOptions as JuspayClientOptions);

  const report = (err: unknown, req: Req) => {
    if (onError === undefined) return;
    try {
      const result = onError(err, req) as unknown;
      if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
        (result as Promise<unknown>).then(undefined, () => {});
      }
    } catch {
      // A logging hook must not change the answer.
    }
  };

  const routingFor = async (req: Req, customer: string) =>
    routingId === undefined ? customer : ((await resolveId(routingId, req, 'routingId', owner)) ?? customer);

  const context = (req: Req): JuspayRequestContext => ({
    client,
    async deleteToken(cardReference, callOptions) {
      const customer = await resolveId(customerId, req, 'customerId', owner);
      if (customer === undefined) throw new JuspayUnauthenticatedError();
      const routing = await routingFor(req, customer);
      return client.deleteToken({ cardReference, customerId: customer, routingId: routing }, callOptions);
    },
  });

  /** Fetch Metadata and Origin: refuse what a browser sent from another site. */
  const crossSite = (headers: IncomingHttpHeaders): boolean => {
    const origin = header(headers, 'origin');
    if (origin !== undefined && trusted.has(origin)) return false;
    if (header(headers, 'sec-fetch-site') === 'cross-site') return true;
    if (origin === undefined) return false;
    let originUrl: URL;
    try {
      originUrl = new URL(origin);
    } catch {
      return true; // "null" (sandboxed frames, file:) or garbage
    }
    if (originUrl.origin === 'null') return true;
    const host = header(headers, 'host');
    if (host === undefined) return true;
    try {
      // Parse the Host header under the Origin's scheme so default ports compare equal.
      return new URL(`${originUrl.protocol}//${host}`).host !== originUrl.host;
    } catch {
      return true;
    }
  };

  const readBody = async (request: RouteRequest): Promise<{ value: unknown } | RouteResponse> => {
    const { stream } = request;
    if (request.parseError !== undefined) {
      const status = parserErrorStatus(request.parseError);
      if (status === 413) return TOO_LARGE;
      if (status === 415) return NOT_JSON_MEDIA;
      return NOT_AN_OBJECT;
    }
    const consumed = stream.readableEnded || (stream as { _body?: unknown })._body === true;
    let value: unknown = request.parsedBody;
    if (!consumed) {
      try {
        value = await getRawBody(stream, {
          length: header(request.headers, 'content-length'),
          limit: MAX_ROUTE_BODY_BYTES,
          encoding: 'utf-8',
        });
      } catch (err) {
        if (parserErrorStatus(err) === 413) {
          return TOO_LARGE;
        }
        return fail(400, 'INVALID_INPUT', 'The request body could not be read.');
      }
    }
    // A raw or text parser that ran before us leaves a Buffer or a string.
    if (Buffer.isBuffer(value)) value = value.toString('utf8');
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value) as unknown;
      } catch {
        return NOT_AN_OBJECT;
      }
    }
    return { value };
  };

  const handle = async (req: Req, request: RouteRequest): Promise<RouteResponse> => {
    if (request.method !== 'POST') {
      return fail(405, 'METHOD_NOT_ALLOWED', 'Use POST to delete a saved card.', { allow: 'POST' });
    }
    if (crossSite(request.headers)) {
      return fail(403, 'CROSS_SITE_REQUEST', 'Cross-site requests are not allowed.');
    }
    const customer = await resolveId(customerId, req, 'customerId', owner);
    if (customer === undefined) return SIGN_IN;

    const contentType = header(request.headers, 'content-type');
    let mediaType: { type: string; parameters: Record<string, string> } | undefined;
    try {
      mediaType = contentType === undefined ? undefined : parseContentType(contentType);
    } catch {
      mediaType = undefined;
    }
    const charset = mediaType?.parameters.charset?.toLowerCase();
    if (
      mediaType === undefined ||
      !(mediaType.type === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType.type)) ||
      (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    ) {
      return NOT_JSON_MEDIA;
    }
    const length = Number(header(request.headers, 'content-length'));
    if (Number.isFinite(length) && length > MAX_ROUTE_BODY_BYTES) {
      return TOO_LARGE;
    }

    const read = await readBody(request);
    if (!('value' in read)) return read;
    const body = read.value;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return NOT_AN_OBJECT;
    }
    const fields = body as Record<string, unknown>;
    const snake = fields.card_reference;
    const camel = fields.cardReference;
    if (snake !== undefined && camel !== undefined && snake !== camel) {
      return fail(400, 'INVALID_INPUT', 'Give card_reference once (cardReference is the same field).');
    }
    const cardReference = snake ?? camel;
    if (cardReference === undefined) return fail(400, 'INVALID_INPUT', 'card_reference is required.');
    if (typeof cardReference !== 'string')
      return fail(400, 'INVALID_INPUT', 'card_reference must be a string.');
    const problem = describeIdProblem(cardReference);
    if (problem !== undefined) return fail(400, 'INVALID_INPUT', `card_reference ${problem}.`);

    for (const key of ['customer_id', 'customerId']) {
      if (fields[key] !== undefined && fields[key] !== customer) {
        return fail(403, 'FORBIDDEN', 'You can only delete your own saved cards.');
      }
    }

    const routing = await routingFor(req, customer);
    try {
      await client.deleteToken({ cardReference, customerId: customer, routingId: routing });
      return SUCCESS;
    } catch (err) {
      report(err, req);
      return err instanceof JuspayError ? upstreamFailure(err) : INTERNAL;
    }
  };

  return {
    client,
    path,
    matches: (requestPath) =>
      path !== undefined &&
      (requestPath === path || (requestPath.length === path.length + 1 && requestPath === `${path}/`)),
    context,
    handle,
  };
}
