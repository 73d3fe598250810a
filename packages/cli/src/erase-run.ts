/**
 * `erase-customers`: for each customer row, list the saved cards (`listCards`) and
 * delete every one, listings and deletes on the same paced client and slots (a
 * listing's cards go ahead of the next listing). The journal records each listing, so a
 * resumed run lists a customer again only when a card of its last listing is not done.
 */
import { randomUUID } from 'node:crypto';
import { JuspayError } from '@juspay-tokens/core';
import { RunStopped } from './delete-row.js';
import { cardRow, CustomerPlanner, type EarlierCard } from './erase-plan.js';
import { JournalWriteError } from './journal.js';
import { FINISHED, NOT_RUN, type OutcomeRecord } from './outcomes.js';
import type { Plan } from './plan.js';
import type { ReportEntry, ReportOutcome } from './report.js';
import { readCustomers, type InputRow } from './rows.js';
import { sendRow } from './run.js';
import { RunSession, type RunResult, type RunSetup } from './run-session.js';
import { Tally } from './tally.js';

/** What the summary warns of when Juspay knew none of the customers listed. */
export const EVERY_LISTING_UNKNOWN =
  'warning: Juspay answered every listing INVALID_REQUEST (it answers a customer it does not know the same way): check JUSPAY_MERCHANT_ID and JUSPAY_ENVIRONMENT';

const NOT_SENT = { requestId: undefined, attempts: 0 } as const;
const NOT_RUN_ENTRY = { outcome: NOT_RUN, code: undefined, attempts: 0, requestId: undefined } as const;

/** One customer's report rows, written together once every card has its outcome. */
type WriteGroup = (entries: readonly ReportEntry[]) => void;

/** The run, with what only erase-customers keeps. */
interface Erasure {
  run: RunSession;
  planner: CustomerPlanner;
  /** Customers whose cards are still being deleted (each writes its rows when done). */
  pending: Set<Promise<void>>;
  listings: { answered: number; unknown: number };
}

/** Erases the customers of `setup.args.file`. */
export async function executeErase(setup: Omit<RunSetup, 'tally'>, plan: Plan): Promise<RunResult> {
  const run = new RunSession({ ...setup, tally: new Tally(plan.total, plan.total) });
  const erasure: Erasure = {
    run,
    planner: new CustomerPlanner(setup.journal),
    pending: new Set(),
    listings: { answered: 0, unknown: 0 },
  };
  let read = 0;
  try {
    for await (const row of readCustomers(setup.args.file)) {
      read += 1;
      await decideCustomer(erasure, row, run.report.reserveGroup());
      run.progress.update();
      await run.report.ready();
      if (run.stopping.aborted && setup.args.report === undefined) break;
    }
    while (erasure.pending.size > 0) await Promise.all([...erasure.pending]);
  } catch (err) {
    await run.abandon();
    throw err;
  }
  const result = await run.finish(plan.total - read);
  const { answered, unknown } = erasure.listings;
  return { ...result, warning: answered > 0 && unknown === answered ? EVERY_LISTING_UNKNOWN : undefined };
}

/** Records a customer row that is not listed, or starts its listing once a slot is free. */
async function decideCustomer(erasure: Erasure, row: InputRow, write: WriteGroup): Promise<void> {
  const { run } = erasure;
  const decided = erasure.planner.plan(row);
  const single = (outcome: ReportOutcome) => write([{ row, outcome }]);
  if (decided.kind === 'invalid_input') {
    run.record(
      row,
      { outcome: 'invalid_input', code: 'INVALID_INPUT', reason: decided.problem, ...NOT_SENT },
      single,
    );
  } else if (decided.kind === 'duplicate') {
    const reason = 'the same customer_id as an earlier row';
    run.record(row, { outcome: 'duplicate', code: undefined, reason, ...NOT_SENT }, single);
  } else if (decided.kind === 'skip') {
    skipCustomer(run, row, decided.cards, decided.customer, write);
  } else if (run.stopping.aborted) {
    run.skipNotRun(single);
  } else {
    await run.slots.start(() => listCustomer(erasure, row, decided.earlier, write));
  }
}

/** A customer an earlier run finished: its rows as the journal has them. */
function skipCustomer(
  run: RunSession,
  row: InputRow,
  cards: readonly EarlierCard[],
  customer: OutcomeRecord | undefined,
  write: WriteGroup,
): void {
  if (cards.length === 0) {
    const outcome = customer ?? { outcome: 'no_cards', code: undefined, ...NOT_SENT };
    run.tally.skip(outcome);
    write([{ row, outcome }]);
    return;
  }
  run.tally.grow(cards.length);
  write(
    cards.map((card) => {
      const outcome = card.outcome as OutcomeRecord; // finished: the planner checked
      run.tally.skip(outcome);
      return { row: cardRow(row, card.cardReference), outcome };
    }),
  );
}

/** What a customer's listing came to: its card references, or the customer's own outcome. */
type Listing = { cards: string[]; requestId: string } | { outcome: OutcomeRecord | undefined };

/** Lists the customer's cards, then hands their deletes to the slots (ahead of new listings). */
async function listCustomer(
  erasure: Erasure,
  row: InputRow,
  earlier: readonly EarlierCard[],
  write: WriteGroup,
): Promise<void> {
  const { run } = erasure;
  const single = (outcome: ReportOutcome) => write([{ row, outcome }]);
  const listing = await listCards(erasure, row);
  if ('outcome' in listing) {
    if (listing.outcome === undefined) run.skipNotRun(single);
    else run.record(row, listing.outcome, single, true);
  } else {
    const done = eraseCards(erasure, row, listing.cards, earlier, write);
    erasure.pending.add(done);
    void done.finally(() => erasure.pending.delete(done));
  }
  run.progress.update();
}

/**
 * One listing through the paced client, journaled. `no_cards` when Juspay does not know
 * the customer; `list_failed` otherwise; no outcome when the run stopped first (or the
 * listing could not be journaled).
 */
async function listCards(erasure: Erasure, row: InputRow): Promise<Listing> {
  const { run } = erasure;
  const requestId = randomUUID();
  try {
    const result = await run.client.listCards(
      { customerId: row.customerId, routingId: row.routingId },
      { requestId },
    );
    erasure.listings.answered += 1;
    const cards = [...new Set(result.cards.map((card) => card.cardReference))];
    run.journal.listed(row, cards, requestId);
    return { cards, requestId };
  } catch (err) {
    if (err instanceof RunStopped) return { outcome: undefined };
    if (err instanceof JournalWriteError) {
      run.halt('journal');
      return { outcome: undefined };
    }
    if (!(err instanceof JuspayError)) return { outcome: run.unexpected(row, err) };
    return { outcome: listFailure(erasure, row, err, requestId) };
  }
}

/** A customer's outcome from a failed listing. */
function listFailure(
  erasure: Erasure,
  row: InputRow,
  err: JuspayError,
  requestId: string,
): OutcomeRecord | undefined {
  const { run } = erasure;
  erasure.listings.answered += 1;
  const { code, attempts } = err;
  if (code === 'AUTHENTICATION_FAILED') run.halt('authentication');
  if (code !== 'INVALID_REQUEST')
    return { outcome: 'list_failed', code, reason: err.message, requestId, attempts };
  erasure.listings.unknown += 1;
  try {
    run.journal.listed(row, [], requestId);
  } catch (journalError) {
    if (!(journalError instanceof JournalWriteError)) throw journalError;
    run.halt('journal');
    return undefined;
  }
  const reason = 'Juspay does not know this customer (INVALID_REQUEST)';
  return { outcome: 'no_cards', code, reason, requestId, attempts };
}

/**
 * Deletes the listed cards not already done, and settles the earlier listing's cards
 * that Juspay no longer lists; writes the customer's rows once all have outcomes.
 */
async function eraseCards(
  erasure: Erasure,
  row: InputRow,
  listed: readonly string[],
  earlier: readonly EarlierCard[],
  write: WriteGroup,
): Promise<void> {
  const { run } = erasure;
  const shown = new Set(listed);
  const gone = earlier.filter((card) => !shown.has(card.cardReference));
  const references = [...listed, ...gone.map((card) => card.cardReference)];
  if (references.length === 0) {
    const reason = 'Juspay lists no saved card for this customer';
    const outcome: OutcomeRecord = { outcome: 'no_cards', code: undefined, reason, ...NOT_SENT };
    run.record(row, outcome, (o) => write([{ row, outcome: o }]), true);
    return;
  }
  run.tally.grow(references.length);
  const entries: ReportEntry[] = references.map((ref) => ({
    row: cardRow(row, ref),
    outcome: NOT_RUN_ENTRY,
  }));
  const deletes = entries.map((entry, i) =>
    settleCard(run, entry, i < listed.length, (outcome) => (entries[i] = { row: entry.row, outcome })),
  );
  await Promise.all(deletes);
  write(entries);
}

/** One card of a listing: skipped when done earlier, gone when no longer listed, else deleted. */
function settleCard(
  run: RunSession,
  entry: ReportEntry,
  listed: boolean,
  write: (outcome: ReportOutcome) => void,
): Promise<void> {
  const earlier = run.journal.earlier(entry.row);
  if (earlier.outcome !== undefined && FINISHED.has(earlier.outcome.outcome)) {
    run.tally.skip(earlier.outcome);
    write(earlier.outcome);
    return Promise.resolve();
  }
  if (!listed) {
    const reason = 'Juspay no longer lists this card';
    run.record(entry.row, { outcome: 'already_gone', code: undefined, reason, ...NOT_SENT }, write);
    return Promise.resolve();
  }
  if (run.stopping.aborted) {
    run.skipNotRun(write);
    return Promise.resolve();
  }
  return run.slots.queue(() => sendRow(run, entry.row, earlier.mayBeGone, write));
}
