// Fuzz, with fast-check and fixed seeds (FUZZ_SEED replays; fast-check prints the seed
// and the shrunk counter-example on failure):
// - random requests to both routes never produce a 5xx, and never reach Juspay when the
//   route refused them;
// - random upstream responses always end the client's call in a result or a JuspayError,
//   never a raw TypeError/SyntaxError, never a hang past the deadline.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JuspayClient, JuspayError, MAX_ID_LENGTH } from '@juspay-tokens/core';
import { startFakeJuspay, type FakeJuspay } from '@juspay-tokens/core/testing';
import { juspay as expressJuspay } from '@juspay-tokens/express';
import { juspay as koaJuspay } from '@juspay-tokens/koa';
import express from 'express';
import fc from 'fast-check';
import Koa from 'koa';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SEED = Number(process.env.FUZZ_SEED ?? 424242);
const ROUTE = '/juspay/cards/delete';
// Codes the route answers without calling Juspay.
const LOCAL = new Set([
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CROSS_SITE_REQUEST',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
]);

function listen(
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ server: Server; url: string; host: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ server, url: `http://${host}`, host });
    }),
  );
}

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

describe(`route fuzz (seed ${SEED})`, () => {
  let fake: FakeJuspay;
  const apps: { name: string; server: Server; url: string; host: string }[] = [];
  const clients: JuspayClient[] = [];
  const load = new Agent({ connections: 4 });

  beforeAll(async () => {
    fake = await startFakeJuspay({
      apiKey: 'fuzz_key',
      cards: [{ customerId: 'cust_1', cardReference: 'ref_1' }],
    });
    const make = () => {
      const client = new JuspayClient({ apiKey: 'fuzz_key', baseUrl: fake.url, maxRetries: 0 });
      clients.push(client);
      return client;
    };
    // The customer comes from a header here so that the fuzzer can sign in or not.
    const customerId = (headers: IncomingMessage['headers']) => {
      const value = headers['x-test-customer'];
      return typeof value === 'string' ? value : undefined;
    };
    const plain = express();
    plain.use(expressJuspay({ client: make(), customerId: (req) => customerId(req.headers) }));
    const parsed = express();
    parsed.use(express.json());
    parsed.use(expressJuspay({ client: make(), customerId: (req) => customerId(req.headers) }));
    const koa = new Koa();
    koa.silent = true;
    koa.use(koaJuspay({ client: make(), customerId: (ctx) => customerId(ctx.headers) }));
    apps.push({ name: 'express', ...(await listen(plain)) });
    apps.push({ name: 'express+json', ...(await listen(parsed)) });
    const koaHandler = koa.callback();
    apps.push({ name: 'koa', ...(await listen((req, res) => void koaHandler(req, res))) });
  });
  afterAll(async () => {
    await load.close();
    for (const app of apps) await new Promise((resolve) => app.server.close(resolve));
    for (const client of clients) await client.close();
    await fake.close();
  });

  const cardReference = fc.oneof(
    { weight: 6, arbitrary: fc.oneof(fc.constant('ref_1'), fc.stringMatching(/^[a-z0-9_]{1,20}$/)) },
    printable(20),
    fc.string({ maxLength: 300, unit: 'binary' }),
    fc.string({ minLength: 250, maxLength: 260 }),
    fc.integer(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
  );
  const jsonBody = fc
    .record(
      {
        card_reference: cardReference,
        cardReference: fc.oneof(
          { weight: 6, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: cardReference },
        ),
        customer_id: fc.oneof(
          { weight: 4, arbitrary: fc.constant(undefined) },
          { weight: 2, arbitrary: fc.constant('cust_1') },
          { weight: 1, arbitrary: fc.oneof(printable(8), fc.integer()) },
        ),
        extra: fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
        ),
      },
      { requiredKeys: ['card_reference'] },
    )
    .map((o) => JSON.stringify(o));
  const body = fc.oneof(
    { weight: 6, arbitrary: jsonBody },
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc
      .integer({ min: 15 * 1024, max: 20 * 1024 })
      .map((n) => JSON.stringify({ card_reference: 'ref_1', pad: 'x'.repeat(n) })),
  );
  const input = fc.record({
    app: fc.integer({ min: 0, max: 2 }),
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant('POST') },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
    ),
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          undefined,
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/vnd.api+json',
          'application/json; charset=latin1',
          'multipart/form-data; boundary=x',
          'application/json; charset',
        ),
      },
      { weight: 1, arbitrary: printable(40) },
    ),
    origin: fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.constant('SAME') },
      { weight: 1, arbitrary: fc.constantFrom('https://evil.example', 'null') },
      { weight: 1, arbitrary: printable(30) },
    ),
    fetchSite: fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.constantFrom('same-origin', 'same-site', 'none') },
      { weight: 1, arbitrary: fc.constant('cross-site') },
      { weight: 1, arbitrary: printable(12) },
    ),
    customer: fc.option(fc.constant('cust_1'), { nil: undefined }),
    body,
  });

  it('never answers 5xx, and never calls Juspay for a request it refused', async () => {
    const seen = { reached: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const app = apps[i.app]!;
        const headers: Record<string, string> = {};
        if (i.contentType !== undefined) headers['content-type'] = i.contentType;
        if (i.origin !== undefined) headers.origin = i.origin === 'SAME' ? `http://${app.host}` : i.origin;
        if (i.fetchSite !== undefined) headers['sec-fetch-site'] = i.fetchSite;
        if (i.customer !== undefined) headers['x-test-customer'] = i.customer;
        fake.reset();
        const bodyless = i.method === 'GET' || i.method === 'HEAD';
        const res = await request(`${app.url}${ROUTE}`, {
          dispatcher: load,
          method: i.method,
          headers,
          body: bodyless ? undefined : i.body,
        });
        const text = await res.body.text();
        expect(res.statusCode, `${app.name}: ${text}`).toBeLessThan(500);
        if (i.method === 'HEAD') return;
        const answer = JSON.parse(text) as { status?: string; error?: { code: string } };
        if (answer.error !== undefined && LOCAL.has(answer.error.code)) {
          seen.refused += 1;
          expect(fake.requests).toHaveLength(0);
        } else {
          seen.reached += 1;
          expect(fake.requests).toHaveLength(1);
          const sent = fake.requests[0]!.body as { card_reference: string; customer_id: string };
          expect(sent.customer_id).toBe('cust_1');
          expect([...sent.card_reference].length).toBeLessThanOrEqual(MAX_ID_LENGTH);
        }
      }),
      { seed: SEED, numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
    // The generators must reach both sides of the property, or it proves nothing.
    expect(seen.reached).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(20);
    console.log(`route fuzz: ${seen.reached} requests reached Juspay, ${seen.refused} were refused`);
  }, 120_000);
});

describe(`client fuzz (seed ${SEED})`, () => {
  interface Reply {
    status: number;
    retryAfter: string | undefined;
    contentType: string | undefined;
    body: Buffer;
    delayMs: number;
    reset: boolean;
  }
  const randomReply = fc.record({
    status: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(200, 400, 401, 403, 404, 422, 429, 500, 502, 503, 504) },
      { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
      { weight: 1, arbitrary: fc.constantFrom(201, 204, 301, 302, 304) },
    ),
    retryAfter: fc.option(
      fc.oneof(
        fc.constantFrom('0', '1', '-1', '1.5', 'soon', 'Thu, 01 Jan 1970 00:00:00 GMT'),
        printable(20),
      ),
      { nil: undefined },
    ),
    contentType: fc.option(fc.constantFrom('application/json', 'text/html', 'text/plain'), {
      nil: undefined,
    }),
    body: fc
      .oneof(
        fc.constantFrom(
          '{"status":"SUCCESS"}',
          '{"status":"FAILURE"}',
          '{"error":true,"user_message":"card_reference or customer_id is invalid"}',
          '{"error_info":{"code":"UNAUTHORIZED"}}',
          '{"status":"SUCCESS","error_info":null}',
          '<html>oops</html>',
          '',
          'null',
        ),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 100 }),
      )
      .chain((text) =>
        fc.oneof(
          { weight: 5, arbitrary: fc.constant(Buffer.from(text)) },
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)) },
          { weight: 1, arbitrary: fc.constant(Buffer.alloc(70 * 1024, 'x')) },
        ),
      ),
    delayMs: fc.oneof(
      { weight: 5, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 400 }) },
    ),
    reset: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  });
  const healthy: Reply = {
    status: 200,
    retryAfter: undefined,
    contentType: 'application/json',
    body: Buffer.from('{"status":"SUCCESS"}'),
    delayMs: 0,
    reset: false,
  };
  const reply = fc.oneof(
    { weight: 1, arbitrary: fc.constant(healthy) },
    { weight: 2, arbitrary: randomReply },
  );

  it('always ends in a result or a JuspayError, within the deadline', async () => {
    let replies: Reply[] = [];
    let served = 0;
    const upstream = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        const r = replies[Math.min(served++, replies.length - 1)]!;
        setTimeout(() => {
          if (res.destroyed) return;
          if (r.reset) {
            req.socket.destroy();
            return;
          }
          const headers: Record<string, string> = {};
          if (r.retryAfter !== undefined) headers['retry-after'] = r.retryAfter;
          if (r.contentType !== undefined) headers['content-type'] = r.contentType;
          res.writeHead(r.status, headers);
          res.end(r.status === 204 || r.status === 304 ? undefined : r.body);
        }, r.delayMs);
      });
    });
    const deadlineMs = 1_500;
    const seen = { succeeded: 0, failed: 0, retried: 0 };
    const client = new JuspayClient({
      apiKey: 'k',
      baseUrl: upstream.url,
      timeoutMs: 300,
      deadlineMs,
      maxRetries: 2,
    });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(reply, { minLength: 3, maxLength: 3 }), async (generated) => {
          replies = generated;
          served = 0;
          const started = performance.now();
          const outcome = await client.deleteToken({ cardReference: 'ref', customerId: 'cust' }).then(
            (result) => result,
            (err: unknown) => err,
          );
          expect(performance.now() - started).toBeLessThan(deadlineMs + 1_000);
          if (outcome instanceof Error) {
            expect(outcome, String(outcome)).toBeInstanceOf(JuspayError);
            seen.failed += 1;
            if ((outcome as JuspayError).attempts > 1) seen.retried += 1;
          } else {
            expect(outcome).toMatchObject({ status: 'SUCCESS' });
            seen.succeeded += 1;
          }
        }),
        { seed: SEED, numRuns: Number(process.env.FUZZ_RUNS_CLIENT ?? 80) },
      );
      console.log(
        `client fuzz: ${seen.succeeded} succeeded, ${seen.failed} failed (${seen.retried} after retries)`,
      );
      expect(seen.succeeded).toBeGreaterThan(3);
      expect(seen.retried).toBeGreaterThan(3);
    } finally {
      await client.close();
      await new Promise((resolve) => upstream.server.close(resolve));
      upstream.server.closeAllConnections();
    }
  }, 300_000);
});
