/**
 * What the route and the bound call promise beyond the table: the bound `deleteToken()`
 * carries the route's cross-site defences, `onDeleted` keeps the merchant's records in
 * step, a lost answer is not shown as a failure, a slow body is cut off, and the body's
 * encoding is handled (or refused) in JSON.
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  expectError,
  expectErrorBody,
  JSON_TYPE as json,
  login,
  ROUTE,
  type ContractCapabilities,
  type ContractKit,
  type DeletedCard,
} from './kit.js';

const CORRUPT_GZIP = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]),
  Buffer.from('garbage'),
]);

/** Bytes as they are: superagent would otherwise serialise a Buffer as JSON. */
const asIs = (bytes: unknown) => bytes as string;

/**
 * POSTs a body one byte every `everyMs` on a raw connection; resolves with the status
 * and body of the answer, and how many bytes had been written by then.
 */
function trickle(url: string, cookie: string, body: string, everyMs: number) {
  return new Promise<{ status: number; text: string; written: number }>((resolve, reject) => {
    let written = 0;
    const req = httpRequest(`${url}${ROUTE}`, {
      method: 'POST',
      headers: { cookie, 'content-type': json, 'content-length': String(body.length) },
    });
    const timer = setInterval(() => {
      if (written < body.length && !req.destroyed) req.write(body[written++]);
    }, everyMs);
    req.on('response', (res) => {
      clearInterval(timer);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, written }));
    });
    req.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    req.flushHeaders();
  });
}

/** The defences contract, inside a suite that set up `kit`. */
export function runDefencesContract(kit: ContractKit, capabilities: ContractCapabilities): void {
  describe('the bound deleteToken() carries the route’s defences', () => {
    it.each<[string, 'post' | 'get' | 'head' | 'options', Record<string, string>]>([
      ['a cross-site POST', 'post', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
      ['a cross-site POST without Origin', 'post', { 'sec-fetch-site': 'cross-site' }],
      [
        'a same-site POST from another origin (another port)',
        'post',
        { 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:4999' },
      ],
      ['a POST with Origin: null', 'post', { origin: 'null' }],
      ['a GET, even without browser headers', 'get', {}],
      ['a HEAD', 'head', {}],
      ['an OPTIONS', 'options', {}],
    ])('refuses %s with CROSS_SITE_REQUEST and sends nothing', async (_label, method, headers) => {
      const agent = await kit.signedIn();
      const res = await agent[method]('/merchant/delete?card=ref_1').set(headers);
      expect(res.status).toBe(403);
      // Answered in JSON by the adapter's error handler (a HEAD answer has no body).
      if (method !== 'head') expectErrorBody(res, 'CROSS_SITE_REQUEST');
      expect(kit.fake().requests).toHaveLength(0);
      expect(kit.fake().cards('cust_1')).toEqual(['ref_1', 'ref_2']);
    });

    it('lets a request without browser headers, a same-origin one and a trusted origin through', async () => {
      const agent = await kit.signedIn({ trustedOrigins: ['https://shop.example'] });
      expect((await agent.post('/merchant/delete?card=ref_1')).status).toBe(204);
      const sameOrigin = await agent
        .post('/merchant/delete?card=ref_2')
        .set('host', 'pay.example')
        .set('origin', 'https://pay.example')
        .set('sec-fetch-site', 'same-origin');
      expect(sameOrigin.status).toBe(204);
      kit.fake().addCard({ customerId: 'cust_1', cardReference: 'ref_3' });
      const trusted = await agent
        .post('/merchant/delete?card=ref_3')
        .set('origin', 'https://shop.example')
        .set('sec-fetch-site', 'cross-site');
      expect(trusted.status).toBe(204);
      expect(kit.fake().cards('cust_1')).toEqual([]);
    });
  });

  describe('onDeleted', () => {
    it('is called once, with the card, the customer, the request id and alreadyGone, before the answer', async () => {
      const seen: DeletedCard[] = [];
      const agent = await kit.signedIn({
        onDeleted: async (deleted) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen.push(deleted);
        },
      });
      const res = await kit.post(agent, { card_reference: 'ref_1' });
      // The hook had finished (after its own 20 ms wait) when the answer came.
      expect(res.status).toBe(200);
      expect(seen).toHaveLength(1);
      expect(seen).toEqual([
        {
          cardReference: 'ref_1',
          customerId: 'cust_1',
          requestId: kit.fake().requests[0]?.headers['x-request-id'],
          alreadyGone: false,
        },
      ]);
    });

    it('is not called when the delete fails', async () => {
      const seen: DeletedCard[] = [];
      const agent = await kit.signedIn({ onDeleted: (deleted) => seen.push(deleted) });
      expectError(await kit.post(agent, { card_reference: 'nope' }), 400, 'INVALID_REQUEST');
      kit.fake().failNext({ status: 503 });
      expectError(await kit.post(agent, { card_reference: 'ref_1' }), 502, 'UPSTREAM_UNAVAILABLE');
      expect(seen).toEqual([]);
    });

    it.each<[string, () => unknown]>([
      [
        'throws',
        () => {
          throw new Error('records store is down');
        },
      ],
      ['rejects', () => Promise.reject(new Error('records store is down'))],
    ])(
      'still answers the deletion 200 when it %s, and passes the failure to onError',
      async (_label, hook) => {
        const agent = await kit.signedIn({ onDeleted: hook });
        const res = await kit.post(agent, { card_reference: 'ref_1' });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'SUCCESS' });
        expect(kit.fake().cards('cust_1')).toEqual(['ref_2']);
        expect(kit.errors).toEqual([expect.objectContaining({ message: 'records store is down' })]);
      },
    );

    it('answers the deletion once onDeletedTimeoutMs passes, and tells onError it hung', async () => {
      const agent = await kit.signedIn({ onDeleted: () => new Promise(() => {}), onDeletedTimeoutMs: 200 });
      const started = performance.now();
      const res = await kit.post(agent, { card_reference: 'ref_1' });
      expect(res.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(kit.fake().cards('cust_1')).toEqual(['ref_2']);
      expect(kit.errors).toHaveLength(1);
      expect(kit.errors[0]).toBeInstanceOf(Error);
      expect((kit.errors[0] as Error).message).toMatch(/onDeleted/);
    });
  });

  describe('lost answers and double clicks', () => {
    it('answers 200 alreadyGone when the answer was lost and the retry met "invalid"', async () => {
      const seen: DeletedCard[] = [];
      const agent = await kit.signedIn({
        clientOptions: { apiKey: kit.fake().apiKey, baseUrl: kit.fake().url, maxRetries: 1, timeoutMs: 500 },
        onDeleted: (deleted) => seen.push(deleted),
      });
      kit.fake().failNext({ reset: true, afterDelete: true });
      const res = await kit.post(agent, { card_reference: 'ref_1' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'SUCCESS', alreadyGone: true });
      expect(seen).toMatchObject([{ cardReference: 'ref_1', alreadyGone: true }]);
      expect(kit.fake().cards('cust_1')).toEqual(['ref_2']);
    });

    it('deletes once on a double click: one 200, then Juspay’s "invalid" for the second', async () => {
      const seen: DeletedCard[] = [];
      const agent = await kit.signedIn({ onDeleted: (deleted) => seen.push(deleted) });
      const answers = await Promise.all([
        kit.post(agent, { card_reference: 'ref_1' }),
        kit.post(agent, { card_reference: 'ref_1' }),
      ]);
      expect(answers.map((res) => res.status).sort()).toEqual([200, 400]);
      const second = answers.find((res) => res.status === 400);
      expect(second?.body).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
      expect(seen).toHaveLength(1);
      expect(kit.fake().cards('cust_1')).toEqual(['ref_2']);
    });
  });

  describe('slow and encoded bodies', () => {
    it('answers 408 REQUEST_TIMEOUT to a body sent one byte at a time, and sends nothing', async () => {
      const harness = await kit.harness({ bodyTimeoutMs: 300 });
      const url = await harness.listen();
      const cookie = await login(url);
      const body = JSON.stringify({ card_reference: 'ref_1', pad: 'x'.repeat(40) });
      const res = await trickle(url, cookie, body, 50);
      expect(res.status).toBe(408);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
      expect(res.written).toBeLessThan(body.length);
      expect(kit.fake().requests).toHaveLength(0);
    });

    it('reads a gzip body, and answers a corrupt one 400 and an unknown encoding 415 in JSON', async () => {
      const agent = await kit.signedIn();
      const gzipped = gzipSync(JSON.stringify({ card_reference: 'ref_1' }));
      const ok = await agent
        .post(ROUTE)
        .set('content-type', json)
        .set('content-encoding', 'gzip')
        .serialize(asIs)
        .send(gzipped);
      expect(ok.status).toBe(200);
      expectError(
        await agent
          .post(ROUTE)
          .set('content-type', json)
          .set('content-encoding', 'gzip')
          .serialize(asIs)
          .send(CORRUPT_GZIP),
        400,
        'INVALID_INPUT',
      );
      expectError(
        await agent.post(ROUTE).set('content-type', json).set('content-encoding', 'x-unknown').send('{}'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expect(kit.fake().requests).toHaveLength(1);
    });

    if (capabilities.bodyParsers !== false) {
      it('answers a corrupt gzip body behind a JSON body parser from the table too', async () => {
        const agent = await kit.signedIn({ bodyParser: true });
        const res = await agent
          .post(ROUTE)
          .set('content-type', json)
          .set('content-encoding', 'gzip')
          .serialize(asIs)
          .send(CORRUPT_GZIP);
        // Where a parser in front throws before the route runs (Koa), the framework answers.
        if (capabilities.parserErrorsAnswered) expectError(res, 400, 'INVALID_INPUT');
        else expect(res.status).toBeGreaterThanOrEqual(400);
        expect(kit.fake().requests).toHaveLength(0);
      });
    }
  });

  it('caps the Retry-After of a 503 at 60 seconds', async () => {
    const agent = await kit.signedIn();
    kit.fake().failNext({ status: 429, headers: { 'retry-after': '7200' } });
    const res = await kit.post(agent, { card_reference: 'ref_1' });
    expectError(res, 503, 'UPSTREAM_RATE_LIMITED');
    expect(res.headers['retry-after']).toBe('60');
  });
}
