import { describe, expect, it } from 'vitest';
import { JuspayError, JuspayInputError, type DeleteTokenParams } from '../src/index.js';
import { params, rejection, setup } from './helpers.js';

const valid = { cardReference: 'ref_1', customerId: 'cust_1' };

describe('input rules', () => {
  it.each<[string, unknown, string]>([
    ['missing params', undefined, 'params'],
    ['null params', null, 'params'],
    ['a string for params', 'ref_1', 'params'],
    ['an array for params', ['ref_1'], 'params'],
    ['a missing cardReference', { customerId: 'cust_1' }, 'cardReference'],
    ['a missing customerId', { cardReference: 'ref_1' }, 'customerId'],
    ['a numeric cardReference', { ...valid, cardReference: 42 }, 'cardReference'],
    ['a null customerId', { ...valid, customerId: null }, 'customerId'],
    ['an empty cardReference', { ...valid, cardReference: '' }, 'cardReference'],
    ['an empty customerId', { ...valid, customerId: '' }, 'customerId'],
    ['an empty routingId', { ...valid, routingId: '' }, 'routingId'],
    ['a numeric routingId', { ...valid, routingId: 7 }, 'routingId'],
    ['257 characters', { ...valid, cardReference: 'a'.repeat(257) }, 'cardReference'],
    ['257 astral code points', { ...valid, customerId: '😀'.repeat(257) }, 'customerId'],
    ['a NUL character', { ...valid, cardReference: 'ref\u0000' + '1' }, 'cardReference'],
    ['a newline', { ...valid, customerId: 'cust\n1' }, 'customerId'],
    ['a tab', { ...valid, cardReference: 'ref\t1' }, 'cardReference'],
    ['DEL', { ...valid, cardReference: 'ref\u007f' + '1' }, 'cardReference'],
    ['a C1 control', { ...valid, routingId: 'r\u0085x' }, 'routingId'],
    ['a leading space', { ...valid, cardReference: ' ref_1' }, 'cardReference'],
    ['a trailing space', { ...valid, customerId: 'cust_1 ' }, 'customerId'],
    ['a leading no-break space', { ...valid, cardReference: '\u00a0ref' }, 'cardReference'],
    ['a trailing ideographic space', { ...valid, routingId: 'r\u3000' }, 'routingId'],
    ['a leading byte order mark', { ...valid, customerId: '\ufeffcust' }, 'customerId'],
  ])('rejects %s with JuspayInputError and sends nothing', async (_label, input, field) => {
    const { client, fake, events } = await setup();
    const err = await rejection(client.deleteToken(input as DeleteTokenParams));
    expect(err).toBeInstanceOf(JuspayInputError);
    expect(err).toBeInstanceOf(JuspayError);
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      field,
      attempts: 0,
      retryable: false,
      ambiguous: false,
    });
    expect((err as Error).message).toContain(field);
    expect(fake.requests).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it.each([
    ['256 characters', 'a'.repeat(256)],
    ['256 astral code points (512 UTF-16 units)', '😀'.repeat(256)],
    ['inner spaces', 'card ref 1'],
    ['non-Latin text', 'カード-１'],
  ])('accepts %s', async (_label, cardReference) => {
    const { client, fake } = await setup();
    fake.addCard({ customerId: 'cust_1', cardReference });
    await expect(client.deleteToken({ cardReference, customerId: 'cust_1' })).resolves.toMatchObject({
      status: 'SUCCESS',
    });
    expect(fake.cards('cust_1')).not.toContain(cardReference);
  });

  it.each<[string, object, RegExp]>([
    ['a zero timeoutMs', { timeoutMs: 0 }, /"timeoutMs"/],
    ['a NaN timeoutMs', { timeoutMs: NaN }, /"timeoutMs"/],
    ['a negative maxRetries', { maxRetries: -1 }, /"maxRetries"/],
    ['a fractional maxRetries', { maxRetries: 0.5 }, /"maxRetries"/],
    ['an empty requestId', { requestId: '' }, /"requestId"/],
    ['a requestId with a space', { requestId: 'a b' }, /"requestId"/],
    ['a requestId with CRLF', { requestId: 'a\r\nx-evil: 1' }, /"requestId"/],
    ['a 129-character requestId', { requestId: 'x'.repeat(129) }, /"requestId"/],
    ['a signal that is not an AbortSignal', { signal: {} }, /"signal" must be an AbortSignal/],
  ])('rejects %s per-call option with a TypeError and sends nothing', async (_label, options, message) => {
    const { client, fake } = await setup();
    const err = await rejection(client.deleteToken(params, options));
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });
});
