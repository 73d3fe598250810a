/**
 * `delete-cards`: delete row by row at most `--concurrency` at a time and `--rate`
 * attempts a second, recording every outcome in the journal and the report, until the
 * file ends or the run is stopped.
 */
import { deleteRow } from './delete-row.js';
import { JournalWriteError } from './journal.js';
import { RowPlanner, type Plan } from './plan.js';
import { readRows, type InputRow } from './rows.js';
import { RunSession, type RunResult, type RunSetup, type WriteRow } from './run-session.js';
import { Tally } from './tally.js';

export type { RunResult, StopReason } from './run-session.js';

/** The reason a repeated pair is not sent. */
export const DUPLICATE_PAIR = 'the same customer_id and card_reference as an earlier row';

/**
 * Deletes the rows of `setup.args.file`. The interrupt aborting (Ctrl-C, SIGTERM)
 * starts nothing new and lets calls in flight finish.
 */
export async function executeRun(setup: Omit<RunSetup, 'tally'>, plan: Plan): Promise<RunResult> {
  const run = new RunSession({ ...setup, tally: new Tally(plan.total) });
  const planner = new RowPlanner(setup.journal);
  let read = 0;
  try {
    for await (const row of readRows(setup.args.file)) {
      read += 1;
      await decideRow(run, planner, row, run.report.reserve(row));
      run.progress.update();
      await run.report.ready();
      // After a stop the rest of the file is only read to complete the report.
      if (run.stopping.aborted && setup.args.report === undefined) break;
    }
  } catch (err) {
    await run.abandon();
    throw err;
  }
  return run.finish(plan.total - read);
}

/** Records a row that is not sent, or starts its delete once a slot is free. */
async function decideRow(
  run: RunSession,
  planner: RowPlanner,
  row: InputRow,
  write: WriteRow,
): Promise<void> {
  const decided = planner.plan(row);
  const notSent = { requestId: undefined, attempts: 0 };
  if (decided.kind === 'skip') {
    run.tally.skip(decided.earlier);
    write(decided.earlier);
  } else if (decided.kind === 'invalid_input') {
    run.record(
      row,
      { outcome: 'invalid_input', code: 'INVALID_INPUT', reason: decided.problem, ...notSent },
      write,
    );
  } else if (decided.kind === 'duplicate') {
    run.record(row, { outcome: 'duplicate', code: undefined, reason: DUPLICATE_PAIR, ...notSent }, write);
  } else if (run.stopping.aborted) {
    run.skipNotRun(write);
  } else {
    await run.slots.start(() => sendRow(run, row, decided.mayBeGone, write));
  }
}

/** One row's delete, recorded; a row whose started record could not be written was not sent. */
export async function sendRow(
  run: RunSession,
  row: InputRow,
  mayBeGone: boolean,
  write: WriteRow,
): Promise<void> {
  const outcome = await deleteRow(row, mayBeGone, run.rows).catch((err: unknown) => {
    if (!(err instanceof JournalWriteError)) return run.unexpected(row, err);
    run.halt('journal');
    return undefined;
  });
  if (outcome === undefined) run.skipNotRun(write);
  else run.record(row, outcome, write, true);
  run.progress.update();
}
