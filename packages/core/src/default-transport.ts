/**
 * The transport a client gets (Node build): the `fetch` it was given, else undici. The
 * edge build replaces this file with `default-transport.edge.ts`.
 */
import { FetchTransport } from './fetch-transport.js';
import type { ResolvedClientOptions } from './options.js';
import type { Transport } from './transport.js';
import { UndiciTransport } from './undici-transport.js';

/** The transport for a client's resolved options. */
export function defaultTransport(options: ResolvedClientOptions): Transport {
  if (options.fetch !== undefined) return new FetchTransport(options.fetch);
  return new UndiciTransport(options.dispatcher, options.timeoutMs);
}
