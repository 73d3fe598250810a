/** Reading a request header the way the route means it, whatever the framework gave. */
import type { IncomingHttpHeaders } from 'node:http';

/** A request's headers: Node's object (lower-case names) or a Web `Headers`. */
export type RouteHeaders = IncomingHttpHeaders | Headers;

/** A header's value, or its first value when the framework gave several. */
export function firstHeader(headers: RouteHeaders, name: string): string | undefined {
  // Duck-typed: a framework's Headers may come from another realm or a subclass.
  if (typeof headers.get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as IncomingHttpHeaders)[name];
  return Array.isArray(value) ? value[0] : value;
}
