import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createJuspayRouteCore, type JuspayMiddlewareOptions } from '../src/route/index.js';
import { API_KEY, setup } from './helpers.js';

// The route core on a bare Node server: the framework-neutral contract an adapter wraps.
let server: Server | undefined;
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  while (clients.length > 0) await clients.pop()?.close();
});

async function serve(
  options: Partial<JuspayMiddlewareOptions<IncomingMessage>>,
  parsed?: (req: IncomingMessage) => unknown,
): Promise<string> {
  const { fake } = await setup();
  const core = createJuspayRouteCore<IncomingMessage>(
    { clientOptions: { apiKey: API_KEY, baseUrl: fake.url }, customerId: () => 'cust_1', ...options },
    'test',
  );
  clients.push(core.client);
  server = createServer((req, res) => {
    // A stand-in for a body parser: it drains the stream, then leaves its result.
    const parsing =
      parsed === undefined
        ? Promise.resolve(undefined)
        : new Promise<unknown>((resolve) => req.resume().on('end', () => resolve(parsed(req))));
    parsing
      .then((parsedBody) =>
        core.handle(req, {
          method: req.method ?? 'GET',
          path: new URL(req.url ?? '/', 'http://localhost').pathname,
          headers: req.headers,
          stream: req,
          parsed: parsed === undefined ? undefined : { body: parsedBody },
        }),
      )
      .then((answer) => {
        res.writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      })
      .catch(() => {
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/juspay/cards/delete`;
}

async function* chunks(total: number): AsyncGenerator<Buffer> {
  yield Buffer.from('{"card_reference":"ref_1","pad":"');
  for (let sent = 0; sent < total; sent += 1024) yield Buffer.alloc(1024, 'x');
  yield Buffer.from('"}');
}

describe('route core', () => {
  it('reads a chunked body itself and refuses one over 16 KiB without Content-Length', async () => {
    const url = await serve({});
    const small = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from(chunks(1024)),
    });
    expect(small.statusCode).toBe(200);
    await small.body.dump();
    const big = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from(chunks(32 * 1024)),
    });
    expect(big.statusCode).toBe(413);
    expect(await big.body.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('uses a body a parser left as a Buffer or a string', async () => {
    for (const parsed of [Buffer.from('{"card_reference":"ref_1"}'), '{"card_reference":"ref_2"}']) {
      const url = await serve({}, () => parsed);
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'ignored',
      });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  it('compares Origin and Host under the origin’s default port', async () => {
    const url = await serve({});
    const res = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'https://shop.example',
        host: 'shop.example:443',
      },
      body: '{"card_reference":"ref_1"}',
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('answers 500 INTERNAL_ERROR when the session customer id breaks the input rules, and reports it', async () => {
    const seen: unknown[] = [];
    const url = await serve({ customerId: () => 'bad\nid', onError: (err) => seen.push(err) });
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"card_reference":"r"}',
    });
    expect(res.statusCode).toBe(500);
    expect(await res.body.json()).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
    expect(seen).toHaveLength(1);
  });

  it('answers the list route 500 too when the session customer id breaks the input rules', async () => {
    const seen: unknown[] = [];
    const url = await serve({ customerId: () => 'bad\nid', onError: (err) => seen.push(err) });
    const res = await request(url.replace(/\/delete$/, ''), { method: 'GET' });
    expect(res.statusCode).toBe(500);
    expect(await res.body.json()).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(seen).toHaveLength(1);
  });

  it('rejects with a resolver returning something other than an id', async () => {
    const url = await serve({ customerId: () => 42 as unknown as string });
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.statusCode).toBe(500); // our server's catch: the framework's error handling
    await res.body.dump();
  });
});

describe('the body timeout', () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('answers 408 to a stalled body, and leaves no timer behind on any path', async () => {
    const url = await serve({ bodyTimeoutMs: 200 });
    const before = timers();
    for (let i = 0; i < 20; i++) {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"card_reference":"nope"}',
      });
      expect(res.statusCode).toBe(400);
      await res.body.dump();
    }
    // A body that never ends: the route stops waiting and closes the connection.
    const stalled = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '100' },
      body: Readable.from(
        (async function* () {
          yield Buffer.from('{"card_reference":');
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        })(),
      ),
    });
    expect(stalled.statusCode).toBe(408);
    expect(stalled.headers.connection).toBe('close');
    expect(await stalled.body.json()).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
