/**
 * What every part of the route contract shares: the harness types a framework supplies,
 * the fake Juspay and its seeded cards, apps signed in or not, and the assertions on
 * every answer.
 */
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JuspayClientOptions } from '@juspay-tokens/core';
import { startFakeJuspay, type FakeJuspay } from '@juspay-tokens/core/testing';
import type { Agent, Response } from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

export const API_KEY = 'sk_contract_Secr3t_never_shown';
const ENCODED_KEY = Buffer.from(`${API_KEY}:`).toString('base64');
/** The merchant id the contract's fake requires on a list call. */
export const MERCHANT_ID = 'contract_merchant';
export const ROUTE = '/juspay/cards/delete';
export const LIST_ROUTE = '/juspay/cards';
export const JSON_TYPE = 'application/json';

/** What `onDeleted` receives besides the framework's request. */
export interface DeletedCard {
  cardReference: string;
  customerId: string;
  requestId: string;
  alreadyGone: boolean;
}

/** How the harness app is to be built. */
export interface HarnessOptions {
  clientOptions: JuspayClientOptions;
  /** Put the framework's JSON body parser in front of the middleware. */
  bodyParser: boolean;
  /** Resolvers return promises. */
  asyncResolvers?: boolean;
  /** Pass a routingId resolver reading `session.routingId`. */
  routing?: boolean;
  /** The customerId resolver throws. */
  resolverThrows?: boolean;
  route?: { path?: string; listPath?: string | false } | false;
  trustedOrigins?: string[];
  onError?: (err: unknown) => void;
  onDeleted?: (deleted: DeletedCard) => unknown;
  onDeletedTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

/**
 * A running app. Its routes: `GET /test/login?customer=&routing=` signs in,
 * `GET /test/logout` signs out; merchant code, whose errors go to the adapter's own error
 * handler (Express `juspayErrorHandler()`, Koa `juspayErrors()`, Fastify
 * `juspayErrorHandler`): `/merchant/delete?card=` (any method) calls the bound
 * `deleteToken()` and answers 204, `/merchant/list` (any method) answers the bound
 * `listCards()` result as JSON, `GET /merchant/fail` throws a plain `Error`; and
 * `GET /after` is answered by middleware mounted after ours.
 */
export interface Harness {
  agent: Agent;
  /** Serves the app on a loopback port (for raw-socket tests); closed by `close()`. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export type MakeHarness = (options: HarnessOptions) => Promise<Harness> | Harness;

/**
 * The `listen` and `close` of a harness whose app is a Node request listener: `listen`
 * serves it on a loopback port; `close` ends that server and then `closeApp`.
 */
export function serveHarness(
  handler: RequestListener,
  closeApp: () => Promise<void>,
): Pick<Harness, 'listen' | 'close'> {
  let server: Server | undefined;
  return {
    listen: async () => {
      server = createServer(handler);
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
      await closeApp();
    },
  };
}

/** The session fields the harness apps keep. */
export interface ContractSession {
  customerId?: string | undefined;
  routingId?: string | undefined;
}

/** What a framework can do. */
export interface ContractCapabilities {
  /** Parse errors of a body parser in front are answered from the route's table (not only with its status). */
  parserErrorsAnswered: boolean;
  /**
   * Whether the framework has a body parser to put in front (default `true`); a bare
   * fetch handler has none, so the table runs once, without one.
   */
  bodyParsers?: boolean;
}

/**
 * The `juspay()` options a harness mounts, given how to read the session from the
 * framework's request (Express `req`, Koa `ctx`).
 */
export function middlewareOptions<Req>(
  options: HarnessOptions,
  session: (req: Req) => ContractSession | undefined,
) {
  const customer = (req: Req) => session(req)?.customerId;
  const { onDeleted } = options;
  return {
    clientOptions: options.clientOptions,
    customerId: options.resolverThrows
      ? () => {
          throw new Error('session store is down');
        }
      : options.asyncResolvers
        ? async (req: Req) => {
            await new Promise((resolve) => setImmediate(resolve));
            return customer(req);
          }
        : customer,
    routingId: options.routing ? (req: Req) => session(req)?.routingId : undefined,
    route: options.route,
    trustedOrigins: options.trustedOrigins,
    onError: options.onError,
    onDeleted:
      onDeleted === undefined ? undefined : async (_req: Req, deleted: DeletedCard) => onDeleted(deleted),
    onDeletedTimeoutMs: options.onDeletedTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
  };
}

export function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expectClean(res);
}

/** No response ever shows the key or upstream internals. */
export function expectClean(res: Response): void {
  const text = `${JSON.stringify(res.headers)}${res.text}`;
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(ENCODED_KEY);
  expect(text).not.toMatch(/developer_message|Invalid API Key|<html|stack|at .*\(/i);
}

/** A JSON error body from the route's table: `{ error: { code, message } }`. */
export function expectErrorBody(res: Response, code: string): void {
  expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
  expectClean(res);
}

/** The contract's shared state, set up around every test of a suite. */
export interface ContractKit {
  fake(): FakeJuspay;
  /** `onError` calls of the current test. */
  errors: unknown[];
  app(options?: Partial<HarnessOptions>): Promise<Agent>;
  /** An app with its harness (to listen on a port). */
  harness(options?: Partial<HarnessOptions>): Promise<Harness>;
  signedIn(options?: Partial<HarnessOptions>, customer?: string, routing?: string): Promise<Agent>;
  post(agent: Agent, body: unknown, path?: string): ReturnType<Agent['post']>;
}

/**
 * Registers the hooks of a contract suite (inside its `describe`): a fake Juspay with
 * `cust_1` holding `ref_1` and `ref_2` and `cust_2` holding `ref_other`, harnesses closed
 * after each test, and no unhandled rejection over the whole suite.
 */
export function useContractKit(makeHarness: MakeHarness): ContractKit {
  let fake: FakeJuspay | undefined;
  const harnesses: Harness[] = [];
  const errors: unknown[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    fake = await startFakeJuspay({ apiKey: API_KEY, merchantId: MERCHANT_ID });
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await fake?.close();
    // Express 4 drops rejected promises on the floor: none may ever arise.
    expect(unhandled).toEqual([]);
  });
  beforeEach(() => {
    const f = theFake();
    f.reset();
    f.addCard({ customerId: 'cust_1', cardReference: 'ref_1', brand: 'VISA', last4: '4242' });
    f.addCard({
      customerId: 'cust_1',
      cardReference: 'ref_2',
      brand: 'MASTERCARD',
      last4: '4444',
      expiryMonth: '08',
      expiryYear: '2031',
      nickname: 'Work card',
      expired: true,
    });
    f.addCard({ customerId: 'cust_2', cardReference: 'ref_other' });
    errors.length = 0;
  });
  afterEach(async () => {
    while (harnesses.length > 0) await harnesses.pop()?.close();
  });

  function theFake(): FakeJuspay {
    if (fake === undefined) throw new Error('the fake Juspay is not running yet');
    return fake;
  }

  async function harness(options: Partial<HarnessOptions> = {}): Promise<Harness> {
    const made = await makeHarness({
      clientOptions: {
        apiKey: API_KEY,
        merchantId: MERCHANT_ID,
        baseUrl: theFake().url,
        maxRetries: 0,
        timeoutMs: 500,
      },
      bodyParser: false,
      onError: (err) => errors.push(err),
      ...options,
    });
    harnesses.push(made);
    return made;
  }

  const app = async (options: Partial<HarnessOptions> = {}) => (await harness(options)).agent;

  async function signedIn(options: Partial<HarnessOptions> = {}, customer = 'cust_1', routing?: string) {
    const agent = await app(options);
    const query = new URLSearchParams({ customer, ...(routing === undefined ? {} : { routing }) });
    const res = await agent.get(`/test/login?${query.toString()}`);
    expect(res.status).toBe(204);
    return agent;
  }

  const post = (agent: Agent, body: unknown, path = ROUTE) =>
    agent.post(path).set('content-type', JSON_TYPE).send(JSON.stringify(body));

  return { fake: theFake, errors, app, harness, signedIn, post };
}

/**
 * Sends a request on a raw connection: any method (supertest has no verb for QUERY or
 * PROPFIND) and any header value, an empty one included.
 */
export function raw(url: string, method: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
    (resolve, reject) => {
      const req = httpRequest(url, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    },
  );
}

/** Signs in over plain HTTP and returns the session cookie. */
export async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/test/login?customer=cust_1`);
  const cookies = res.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  expect(res.status).toBe(204);
  return cookies.join('; ');
}
