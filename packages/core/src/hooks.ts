/**
 * Calling a merchant's hook that must never change what we do: its exception and its
 * rejection are swallowed (telemetry never breaks a call, logging never changes an
 * answer), and a rejection never becomes an unhandled one.
 */

/** Calls `hook(...args)` if given, ignoring whatever it throws or rejects with. */
export function callQuietly<Args extends unknown[]>(
  hook: ((...args: Args) => unknown) | undefined,
  ...args: Args
): void {
  if (hook === undefined) return;
  try {
    const result = hook(...args);
    if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
      (result as Promise<unknown>).then(undefined, () => {});
    }
  } catch {
    // Ignored by design: see above.
  }
}
