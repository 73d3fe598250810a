/** The runtime the client runs on, as the `user-agent` names it. */

interface RuntimeGlobals {
  process?: { versions?: { node?: string; bun?: string } };
  Deno?: { version?: { deno?: string } };
  EdgeRuntime?: unknown;
  navigator?: { userAgent?: string };
}

/**
 * `node/<version>` where `process.versions.node` exists (Node, and Bun and Deno's Node
 * layer), else the runtime's own name: `workerd`, `edge-light`, `deno/<version>`, or
 * `unknown`.
 */
export function runtimeLabel(globals: RuntimeGlobals = globalThis): string {
  const node = globals.process?.versions?.node;
  if (typeof node === 'string') return `node/${node}`;
  if (globals.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (typeof globals.EdgeRuntime === 'string') return 'edge-light';
  const deno = globals.Deno?.version?.deno;
  if (typeof deno === 'string') return `deno/${deno}`;
  return 'unknown';
}
