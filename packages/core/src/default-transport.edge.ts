/**
 * The transport a client gets (edge build, for runtimes without undici): the `fetch` it
 * was given, else the runtime's own. Nothing here imports undici or a `node:` module.
 */
import { FetchTransport } from './fetch-transport.js';
import type { ResolvedClientOptions } from './options.js';
import type { Transport } from './transport.js';

/** The runtime's `fetch`, called unbound (some runtimes refuse it as another object's method). */
const globalFetch = (input: string, init: RequestInit): Promise<Response> => fetch(input, init);

/**
 * The transport for a client's resolved options.
 * @throws {TypeError} for a `dispatcher`: there is no undici in this build.
 */
export function defaultTransport(options: ResolvedClientOptions): Transport {
  if (options.dispatcher !== undefined) {
    throw new TypeError(
      'JuspayClient: option "dispatcher" is an undici Dispatcher, and this runtime build sends through fetch (pass "fetch" instead, or use the Node build)',
    );
  }
  return new FetchTransport(options.fetch ?? globalFetch);
}
