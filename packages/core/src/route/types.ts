/**
 * The route's public types: the middleware options every adapter takes, the bound
 * `juspay` object, and the neutral request and response an adapter translates.
 */
import type { Readable } from 'node:stream';
import type { DeleteTokenResult, JuspayClient, ListCardsResult } from '../client.js';
import type { DeleteTokenOptions, JuspayClientOptions, ListCardsOptions } from '../options.js';
import type { SavedCard } from '../saved-cards.js';
import type { RouteErrorCode } from './answers.js';
import type { RouteHeaders } from './headers.js';

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** What `onDeleted` learns about a card the route deleted. */
export interface DeletedCard {
  /** The card reference deleted. */
  cardReference: string;
  /** The signed-in customer it belonged to. */
  customerId: string;
  /** The call's `x-request-id`. */
  requestId: string;
  /** `true` when an earlier attempt most likely deleted it (its answer was lost). */
  alreadyGone: boolean;
}

/** Options shared by every adapter; `Req` is the framework's request (Express `req`, Koa `ctx`, Fastify `request`). */
export interface JuspayMiddlewareOptions<Req> {
  /** A client you built (and close). Give this or `clientOptions`, not both. */
  client?: JuspayClient | undefined;
  /** Options for a client the middleware builds for you. Give this or `client`, not both. */
  clientOptions?: JuspayClientOptions | undefined;
  /**
   * Returns the signed-in customer's Juspay `customer_id` from the session; `undefined`,
   * `null` or `''` when nobody is signed in. Sync or async. Called each time cards are
   * listed or one is deleted, never cached. An exception it throws goes to the
   * framework's error handling.
   */
  customerId: (req: Req) => MaybePromise<string | undefined | null>;
  /** Returns the `x-routing-id` to send; defaults to the customer id. Sync or async. */
  routingId?: ((req: Req) => MaybePromise<string | undefined | null>) | undefined;
  /**
   * Where to mount the ready-made routes: `path` (default `'/juspay/cards/delete'`) and
   * `listPath` (default `'/juspay/cards'`; `false` mounts no list route). `route: false`
   * mounts neither.
   */
  route?: { path?: string | undefined; listPath?: string | false | undefined } | false | undefined;
  /**
   * Origins allowed to call cross-site, e.g. `['https://shop.example']`: the route and
   * the bound `deleteToken()` accept them. A same-origin request never needs to be listed.
   */
  trustedOrigins?: readonly string[] | undefined;
  /**
   * Called for every upstream failure and every unexpected error of the routes (for
   * logging), also for Juspay's `INVALID_REQUEST` on a list (answered as no cards) and
   * for an `onDeleted` that failed. Its own exceptions are ignored.
   */
  onError?: ((err: unknown, req: Req) => void) | undefined;
  /**
   * Awaited after the route deleted a card (also when it was already gone), before it
   * answers: write your audit line or drop the card from your records here. The answer
   * tells the truth about the card: when it throws, rejects or has not settled within
   * `onDeletedTimeoutMs`, the route still answers 200 and passes the failure to `onError`.
   */
  onDeleted?: ((req: Req, deleted: DeletedCard) => MaybePromise<unknown>) | undefined;
  /** How long the route waits for `onDeleted` before it answers anyway. Default `5000`. */
  onDeletedTimeoutMs?: number | undefined;
  /** How long the route waits for the whole request body; past it, 408. Default `10000`. */
  bodyTimeoutMs?: number | undefined;
}

/** What `req.juspay` / `ctx.juspay` / `request.juspay` is: the calls bound to the request being served. */
export interface JuspayRequestContext {
  /**
   * Deletes one of the signed-in customer's saved cards. The customer and routing id come
   * from the session through the middleware's resolvers. It checks the request being
   * served as the route would, and sends nothing when it is cross-site or a
   * GET/HEAD/OPTIONS.
   * @throws {JuspayCrossSiteError} (code `CROSS_SITE_REQUEST`) for a cross-site or GET/HEAD/OPTIONS request.
   * @throws {JuspayUnauthenticatedError} (code `UNAUTHENTICATED`) when nobody is signed in.
   */
  deleteToken(cardReference: string, options?: DeleteTokenOptions): Promise<DeleteTokenResult>;
  /**
   * Lists the signed-in customer's saved cards (only fields safe to show). Juspay's
   * `INVALID_REQUEST` (a customer it does not know) lists no cards, and goes to `onError`.
   * It changes nothing, so it needs no cross-site check.
   * @throws {JuspayUnauthenticatedError} (code `UNAUTHENTICATED`) when nobody is signed in.
   */
  listCards(options?: ListCardsOptions): Promise<ListCardsResult>;
  /** The underlying client, unchecked, for calls on behalf of another customer (e.g. back-office jobs). */
  readonly client: JuspayClient;
}

/** What a body parser that ran before the route made of the body, as the adapter read it. */
export type ParsedBody =
  | { body: unknown }
  /** It failed: the body was malformed or undecodable, too large, or of a charset or encoding it refused. */
  | { failure: 'malformed' | 'too-large' | 'unsupported' };

/** A framework-neutral description of a request to the route. */
export interface RouteRequest {
  method: string;
  /** The request's path, without its query. */
  path: string;
  /** Node's headers object (lower-case names), or a Web `Headers`. */
  headers: RouteHeaders;
  /**
   * The body, read by the route when no body parser consumed it: the Node request
   * stream; the `Request` itself (the route reads `body` or `text()`); or a Web stream
   * (`null` when the request has none).
   */
  stream: Readable | Pick<Request, 'body' | 'text'> | ReadableStream<Uint8Array> | null;
  /** What a body parser that ran before the route left; absent when none ran. */
  parsed?: ParsedBody | undefined;
}

/** The route's answer, for the adapter to write back. The body is to be sent as JSON. */
export interface RouteResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body:
    | { status: 'SUCCESS'; alreadyGone?: true }
    | { cards: SavedCard[] }
    | { error: { code: RouteErrorCode; message: string } };
}

/** What an adapter builds once, at mount time. */
export interface JuspayRouteCore<Req> {
  /** The client calls go through. */
  readonly client: JuspayClient;
  /** The delete route's path, or `undefined` when `route: false`. */
  readonly path: string | undefined;
  /** The list route's path, or `undefined` when none is mounted. */
  readonly listPath: string | undefined;
  /** Whether a request path is one of the routes' (a trailing slash is tolerated). */
  matches(path: string): boolean;
  /** The per-request `juspay` object, bound to the request being served. */
  context(req: Req, request: Pick<RouteRequest, 'method' | 'headers'>): JuspayRequestContext;
  /**
   * Runs the route `request.path` names. Resolves with the response to write; rejects
   * only with an exception from a resolver, which belongs to the framework's error
   * handling.
   */
  handle(req: Req, request: RouteRequest): Promise<RouteResponse>;
}
