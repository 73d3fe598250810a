import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { JuspayClient, type JuspayClientOptions } from '../src/index.js';
import { API_KEY } from './helpers.js';

function construct(options: unknown): () => JuspayClient {
  return () => new JuspayClient(options as JuspayClientOptions);
}

describe('JuspayClient options', () => {
  it('defaults to the sandbox and accepts production', async () => {
    const sandbox = new JuspayClient({ apiKey: API_KEY });
    const production = new JuspayClient({ apiKey: API_KEY, environment: 'production' });
    expect(sandbox.baseUrl).toBe('https://sandbox.juspay.in');
    expect(sandbox.environment).toBe('sandbox');
    expect(production.baseUrl).toBe('https://api.juspay.in');
    await Promise.all([sandbox.close(), production.close()]);
  });

  it('lets baseUrl override the environment and keeps a path prefix', async () => {
    const client = new JuspayClient({
      apiKey: API_KEY,
      environment: 'production',
      baseUrl: 'https://pay.example.com/juspay/',
    });
    expect(client.baseUrl).toBe('https://pay.example.com/juspay');
    await client.close();
  });

  it.each([
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://127.0.0.1:1', 'http://127.0.0.1:1'],
    ['http://127.45.6.7', 'http://127.45.6.7'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
  ])('accepts plain http to loopback host %s', async (baseUrl, expected) => {
    const client = new JuspayClient({ apiKey: API_KEY, baseUrl });
    expect(client.baseUrl).toBe(expected);
    await client.close();
  });

  it.each<[string, unknown, RegExp]>([
    ['missing options', undefined, /options must be an object/],
    ['missing apiKey', {}, /"apiKey" is required/],
    ['empty apiKey', { apiKey: '' }, /"apiKey" must not be empty/],
    ['blank apiKey', { apiKey: '   ' }, /"apiKey" must not be empty/],
    ['non-string apiKey', { apiKey: 42 }, /"apiKey" must be a string/],
    ['apiKey with a newline', { apiKey: 'abc\ndef' }, /"apiKey" must be printable ASCII/],
    [
      'unknown environment',
      { apiKey: 'k', environment: 'staging' },
      /"environment" must be "sandbox" or "production"/,
    ],
    ['inherited environment name', { apiKey: 'k', environment: 'toString' }, /"environment"/],
    ['a non-URL baseUrl', { apiKey: 'k', baseUrl: 'not a url' }, /"baseUrl" is not a valid absolute URL/],
    ['a non-string baseUrl', { apiKey: 'k', baseUrl: 12 }, /"baseUrl" must be a URL string/],
    ['an ftp baseUrl', { apiKey: 'k', baseUrl: 'ftp://example.com' }, /"baseUrl" must use https:/],
    [
      'plain http to a remote host',
      { apiKey: 'k', baseUrl: 'http://api.juspay.in' },
      /"baseUrl" must use https: unless the host is loopback/,
    ],
    [
      'plain http to a lookalike host',
      { apiKey: 'k', baseUrl: 'http://127.0.0.1.evil.com' },
      /unless the host is loopback/,
    ],
    [
      'plain http to localhost.evil',
      { apiKey: 'k', baseUrl: 'http://localhost.evil.com' },
      /unless the host is loopback/,
    ],
    [
      'credentials in baseUrl',
      { apiKey: 'k', baseUrl: 'https://u:p@example.com' },
      /"baseUrl" must not contain credentials/,
    ],
    [
      'a query in baseUrl',
      { apiKey: 'k', baseUrl: 'https://example.com/?a=1' },
      /"baseUrl" must not have a query/,
    ],
    ['negative retries', { apiKey: 'k', maxRetries: -1 }, /"maxRetries" must be a whole number from 0/],
    ['fractional retries', { apiKey: 'k', maxRetries: 1.5 }, /"maxRetries"/],
    [
      'zero timeout',
      { apiKey: 'k', timeoutMs: 0 },
      /"timeoutMs" must be a finite number of milliseconds above 0/,
    ],
    ['negative timeout', { apiKey: 'k', timeoutMs: -5 }, /"timeoutMs"/],
    ['infinite timeout', { apiKey: 'k', timeoutMs: Infinity }, /"timeoutMs"/],
    ['string timeout', { apiKey: 'k', timeoutMs: '100' }, /"timeoutMs"/],
    ['zero deadline', { apiKey: 'k', deadlineMs: 0 }, /"deadlineMs"/],
    [
      'a deadline setTimeout cannot hold',
      { apiKey: 'k', deadlineMs: 2 ** 31 },
      /"deadlineMs" must be at most/,
    ],
    ['a non-dispatcher', { apiKey: 'k', dispatcher: {} }, /"dispatcher" must be an undici Dispatcher/],
    ['a non-function onEvent', { apiKey: 'k', onEvent: 'log' }, /"onEvent" must be a function/],
    ['headers that are not an object', { apiKey: 'k', headers: 'x' }, /"headers" must be an object/],
    [
      'an authorization header',
      { apiKey: 'k', headers: { Authorization: 'Bearer x' } },
      /must not set "authorization"/,
    ],
    [
      'a content-type header',
      { apiKey: 'k', headers: { 'content-type': 'text/plain' } },
      /must not set "content-type"/,
    ],
    [
      'a content-length header',
      { apiKey: 'k', headers: { 'Content-Length': '1' } },
      /must not set "content-length"/,
    ],
    ['a host header', { apiKey: 'k', headers: { host: 'x' } }, /must not set "host"/],
    [
      'an x-routing-id header',
      { apiKey: 'k', headers: { 'X-Routing-Id': 'x' } },
      /must not set "x-routing-id"/,
    ],
    [
      'an x-request-id header',
      { apiKey: 'k', headers: { 'x-request-id': 'x' } },
      /must not set "x-request-id"/,
    ],
    [
      'a header value with CRLF',
      { apiKey: 'k', headers: { 'x-merchantid': 'a\r\nb: c' } },
      /invalid value for "x-merchantid"/,
    ],
    [
      'a non-string header value',
      { apiKey: 'k', headers: { 'x-merchantid': 1 } },
      /invalid value for "x-merchantid"/,
    ],
    ['an invalid header name', { apiKey: 'k', headers: { 'bad name': 'x' } }, /invalid header name/],
  ])('throws a TypeError naming the option for %s', (_label, options, message) => {
    expect(construct(options)).toThrow(TypeError);
    expect(construct(options)).toThrow(message);
  });

  it('never echoes the API key in a constructor error', () => {
    const secret = 'sk_live_abc\u0000def';
    try {
      new JuspayClient({ apiKey: secret, baseUrl: 'http://example.com' });
      expect.unreachable();
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('sk_live_abc');
      expect(String((err as Error).stack)).not.toContain('sk_live_abc');
    }
  });

  it('accepts an undici dispatcher it does not own and leaves it open on close', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const client = new JuspayClient({ apiKey: API_KEY, dispatcher: agent });
    await client.close();
    agent
      .get('https://sandbox.juspay.in')
      .intercept({ path: '/v4/card/delete', method: 'POST' })
      .reply(200, { status: 'SUCCESS' });
    const other = new JuspayClient({ apiKey: API_KEY, dispatcher: agent });
    await expect(other.deleteToken({ cardReference: 'r', customerId: 'c' })).resolves.toMatchObject({
      status: 'SUCCESS',
    });
    await agent.close();
  });

  it('refuses calls after close()', async () => {
    const client = new JuspayClient({ apiKey: API_KEY });
    await client.close();
    await client.close(); // idempotent
    await expect(client.deleteToken({ cardReference: 'r', customerId: 'c' })).rejects.toThrow(/after close/);
  });
});
