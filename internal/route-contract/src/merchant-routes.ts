/**
 * Merchants' own routes that call the bound `deleteToken()` / `listCards()`: every
 * adapter's error handler answers a `JuspayError` in JSON from the route's table (never
 * the framework's HTML page, a stack or upstream text) and leaves every other error to
 * the framework.
 */
import type { FakeJuspay } from '@juspay-tokens/core/testing';
import { describe, expect, it } from 'vitest';
import { expectError, type ContractKit } from './kit.js';

/** The merchant-routes contract, inside a suite that set up `kit`. */
export function runMerchantRoutesContract(kit: ContractKit): void {
  describe('the error handler for merchants’ own routes', () => {
    it('answers a repeat delete 400 INVALID_REQUEST in JSON, with Juspay’s user message', async () => {
      const agent = await kit.signedIn();
      expect((await agent.post('/merchant/delete?card=ref_1')).status).toBe(204);
      const again = await agent.post('/merchant/delete?card=ref_1');
      expectError(again, 400, 'INVALID_REQUEST');
      expect((again.body as { error: { message: string } }).error.message).toBe(
        'card_reference or customer_id is invalid',
      );
    });

    it('answers a signed-out call 401 and a cross-site one 403, in JSON, sending nothing', async () => {
      const anonymous = await kit.app();
      expectError(await anonymous.post('/merchant/delete?card=ref_1'), 401, 'UNAUTHENTICATED');
      const agent = await kit.signedIn();
      expectError(
        await agent.post('/merchant/delete?card=ref_1').set('sec-fetch-site', 'cross-site'),
        403,
        'CROSS_SITE_REQUEST',
      );
      expect(kit.fake().requests).toHaveLength(0);
    });

    it('answers an input error 400 INVALID_INPUT, sending nothing', async () => {
      const agent = await kit.signedIn();
      expectError(
        await agent.post(`/merchant/delete?card=${encodeURIComponent(' padded')}`),
        400,
        'INVALID_INPUT',
      );
      expect(kit.fake().requests).toHaveLength(0);
    });

    it.each<[string, number, string, Parameters<FakeJuspay['failNext']>[0]]>([
      ['a rejected key', 502, 'UPSTREAM_AUTH_FAILED', { status: 401 }],
      [
        'a 503 with upstream text',
        502,
        'UPSTREAM_UNAVAILABLE',
        { status: 503, body: 'upstream exploded at Foo' },
      ],
      ['a 429', 503, 'UPSTREAM_RATE_LIMITED', { status: 429, headers: { 'retry-after': '3' } }],
      ['a timeout', 504, 'UPSTREAM_TIMEOUT', { delayMs: 3_000 }],
    ])('answers %s as %i %s, never with upstream text', async (_label, status, code, fault) => {
      const agent = await kit.signedIn();
      kit.fake().failNext(fault);
      const res = await agent.post('/merchant/delete?card=ref_1');
      expectError(res, status, code);
      expect(res.text).not.toContain('exploded');
      if (status === 503) expect(res.headers['retry-after']).toBe('3');
    });

    it('answers a failed bound listCards() from the table too', async () => {
      const agent = await kit.signedIn();
      kit.fake().failNext({ status: 500 });
      expectError(await agent.get('/merchant/list'), 502, 'UPSTREAM_UNAVAILABLE');
    });

    it('leaves any other error to the framework', async () => {
      const agent = await kit.signedIn();
      const res = await agent.get('/merchant/fail');
      expect(res.status).toBe(500);
      expect(res.text).not.toMatch(/"error":\{"code"/);
    });
  });
}
