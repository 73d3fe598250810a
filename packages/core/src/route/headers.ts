/** Reading a request header the way the route means it, whatever the framework gave. */
import type { IncomingHttpHeaders } from 'node:http';

/** A header's value, or its first value when the framework gave several. */
export function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
