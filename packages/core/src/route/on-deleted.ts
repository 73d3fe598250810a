/**
 * Telling the merchant about a deleted card through `onDeleted`, before the answer, so
 * that their audit log or records are in step when the page reloads. The answer always
 * tells the truth about the card: a hook that throws, rejects or does not settle within
 * `onDeletedTimeoutMs` never turns a deletion into a failure, nor keeps the shopper
 * waiting; its failure goes to `onError`.
 */
import type { RouteSettings } from './options.js';
import type { DeletedCard } from './types.js';

/** Awaits `onDeleted` within its time limit; its failure is reported, never thrown. */
export async function tellDeleted<Req>(
  settings: RouteSettings<Req>,
  req: Req,
  deleted: DeletedCard,
): Promise<void> {
  const { onDeleted, onDeletedTimeoutMs } = settings;
  if (onDeleted === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`onDeleted did not settle within onDeletedTimeoutMs (${onDeletedTimeoutMs} ms)`)),
      onDeletedTimeoutMs,
    );
  });
  try {
    // Started inside the promise chain, so a synchronous throw is caught like a rejection.
    await Promise.race([Promise.resolve().then(() => onDeleted(req, deleted)), late]);
  } catch (err) {
    settings.report(err, req);
  } finally {
    clearTimeout(timer);
  }
}
