/**
 * The run's files side by side: the journal, its lock and the report must each be a
 * file of its own, never the input and never one another (a report named like the input
 * would empty the operator's CSV). Paths are compared once resolved: `sub/../in.csv`
 * and a symbolic link to the input are the input.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunArgs } from './args.js';
import { UsageError } from './args.js';

/** Where `path` really is: its folder's real path, followed by a link at the end too. */
function whereIs(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute; // a folder that does not exist: opening it names the problem
    }
  }
}

/**
 * Refuses a command line whose outputs resolve to the input or to each other.
 * @throws {UsageError} naming both and the fix; nothing was opened.
 */
export function checkOutputs(args: RunArgs): void {
  const files: [string, string | undefined][] = [
    ['the input', args.file],
    ['--journal', args.journal],
    ['the journal lock', `${args.journal}.lock`],
    ['--report', args.report],
  ];
  const seen = new Map<string, string>();
  for (const [role, path] of files) {
    if (path === undefined) continue;
    const real = whereIs(path);
    const earlier = seen.get(real);
    if (earlier !== undefined) {
      throw new UsageError(
        `${role} (${path}) is the same file as ${earlier}: name another file for ${role === 'the journal lock' ? '--journal' : role}`,
      );
    }
    seen.set(real, role);
  }
}
