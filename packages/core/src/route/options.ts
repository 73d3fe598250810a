/**
 * Mount-time checks of the middleware options, and what the route and the bound call
 * need from them: the client, the path, the trusted origins and the resolvers.
 */
import { JuspayClient } from '../client.js';
import type { JuspayClientOptions } from '../options.js';
import { callQuietly } from '../hooks.js';
import { checkPositiveMs } from '../options.js';
import { normaliseOrigin } from './cross-site.js';
import type { DeletedCard, JuspayMiddlewareOptions, MaybePromise } from './types.js';

/** The path the delete route is mounted on unless `route.path` says otherwise. */
export const DEFAULT_ROUTE_PATH = '/juspay/cards/delete';
/** The path the list route is mounted on unless `route.listPath` says otherwise. */
export const DEFAULT_LIST_PATH = '/juspay/cards';
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const DEFAULT_ON_DELETED_TIMEOUT_MS = 5_000;

/** The options after validation, as the route and the bound call use them. */
export interface RouteSettings<Req> {
  client: JuspayClient;
  path: string | undefined;
  listPath: string | undefined;
  trusted: ReadonlySet<string>;
  bodyTimeoutMs: number;
  onDeletedTimeoutMs: number;
  /** The signed-in customer, or `undefined`. A resolver's exception propagates as is. */
  customerOf(req: Req): Promise<string | undefined>;
  /** The routing id to send for `customer`. */
  routingOf(req: Req, customer: string): Promise<string>;
  /** Tells `onError`, whose own exceptions (and rejections) are ignored. */
  report(err: unknown, req: Req): void;
  onDeleted: ((req: Req, deleted: DeletedCard) => MaybePromise<unknown>) | undefined;
}

type Resolver<Req> = (req: Req) => MaybePromise<string | undefined | null>;

async function resolveId<Req>(resolver: Resolver<Req>, req: Req, name: string, owner: string) {
  const value: unknown = await resolver(req);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new TypeError(
      `${owner}: the ${name} resolver must return a string, undefined or null (got ${typeof value})`,
    );
  }
  return value;
}

function checkClient(options: JuspayMiddlewareOptions<unknown>, owner: string): JuspayClient {
  const { client, clientOptions } = options;
  if (client !== undefined && clientOptions !== undefined) {
    throw new TypeError(`${owner}: pass either "client" or "clientOptions", not both`);
  }
  if (client === undefined && clientOptions === undefined) {
    throw new TypeError(
      `${owner}: pass "client: new JuspayClient({ apiKey })" or "clientOptions: { apiKey }" so the middleware can reach Juspay`,
    );
  }
  if (client !== undefined && typeof (client as { deleteToken?: unknown }).deleteToken !== 'function') {
    throw new TypeError(`${owner}: "client" must be a JuspayClient from @juspay-tokens/core`);
  }
  return client ?? new JuspayClient(clientOptions as JuspayClientOptions);
}

function checkFunctions(options: JuspayMiddlewareOptions<unknown>, owner: string): void {
  if (typeof options.customerId !== 'function') {
    throw new TypeError(
      `${owner}: "customerId" must be a function returning the signed-in customer's id from the session, e.g. customerId: (req) => req.session.customerId`,
    );
  }
  if (options.routingId !== undefined && typeof options.routingId !== 'function') {
    throw new TypeError(`${owner}: "routingId" must be a function (or left out to use the customer id)`);
  }
  for (const hook of ['onError', 'onDeleted'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new TypeError(`${owner}: "${hook}" must be a function`);
    }
  }
}

function checkOnePath(value: unknown, name: string, fallback: string, owner: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new TypeError(`${owner}: "route.${name}" must be a string starting with "/"`);
  }
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

function checkPaths(
  route: JuspayMiddlewareOptions<unknown>['route'],
  owner: string,
): { path: string | undefined; listPath: string | undefined } {
  if (route === false) return { path: undefined, listPath: undefined };
  if (route === undefined) return { path: DEFAULT_ROUTE_PATH, listPath: DEFAULT_LIST_PATH };
  if (typeof route !== 'object' || route === null) {
    throw new TypeError(`${owner}: "route" must be { path, listPath } or false`);
  }
  const path = checkOnePath(route.path, 'path', DEFAULT_ROUTE_PATH, owner);
  const listPath =
    route.listPath === false ? undefined : checkOnePath(route.listPath, 'listPath', DEFAULT_LIST_PATH, owner);
  if (listPath === path) {
    throw new TypeError(`${owner}: "route.path" and "route.listPath" must differ (both are "${path}")`);
  }
  return { path, listPath };
}

function checkOrigins(trustedOrigins: unknown, owner: string): ReadonlySet<string> {
  if (trustedOrigins === undefined) return new Set();
  if (!Array.isArray(trustedOrigins)) {
    throw new TypeError(
      `${owner}: "trustedOrigins" must be an array of origins like ["https://shop.example"]`,
    );
  }
  return new Set(trustedOrigins.map((origin) => normaliseOrigin(owner, origin)));
}

/**
 * Checks the middleware options at mount time.
 * @param owner The adapter's package name, used in error messages.
 * @throws {TypeError} naming the option and the fix.
 */
export function resolveRouteOptions<Req>(
  options: JuspayMiddlewareOptions<Req>,
  owner: string,
): RouteSettings<Req> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${owner}: juspay() needs options, e.g. juspay({ clientOptions: { apiKey }, customerId: ... })`,
    );
  }
  checkFunctions(options as JuspayMiddlewareOptions<unknown>, owner);
  const { path, listPath } = checkPaths(options.route, owner);
  const trusted = checkOrigins(options.trustedOrigins, owner);
  const bodyTimeoutMs =
    options.bodyTimeoutMs === undefined
      ? DEFAULT_BODY_TIMEOUT_MS
      : checkPositiveMs('bodyTimeoutMs', options.bodyTimeoutMs, owner);
  const onDeletedTimeoutMs =
    options.onDeletedTimeoutMs === undefined
      ? DEFAULT_ON_DELETED_TIMEOUT_MS
      : checkPositiveMs('onDeletedTimeoutMs', options.onDeletedTimeoutMs, owner);
  const client = checkClient(options as JuspayMiddlewareOptions<unknown>, owner);
  const { customerId, routingId, onError } = options;
  return {
    client,
    path,
    listPath,
    trusted,
    bodyTimeoutMs,
    onDeletedTimeoutMs,
    customerOf: (req) => resolveId(customerId, req, 'customerId', owner),
    routingOf: async (req, customer) =>
      routingId === undefined
        ? customer
        : ((await resolveId(routingId, req, 'routingId', owner)) ?? customer),
    // A logging hook must not change the answer.
    report: (err, req) => callQuietly(onError, err, req),
    onDeleted: options.onDeleted,
  };
}
