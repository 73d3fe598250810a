/**
 * What a run will do with each row, decided before anything is sent, the same way in
 * the planning pass and in the run: finished by an earlier run (skipped), breaking the
 * input rules, a repeat of an earlier pair, or to send.
 */
import type { Journal } from './journal.js';
import { FINISHED, type OutcomeRecord } from './outcomes.js';
import { PairTable } from './pair-table.js';
import { readRows, rowProblem, type InputRow } from './rows.js';
import { safeLine } from './safe-text.js';

export type RowPlan =
  | { kind: 'skip'; earlier: OutcomeRecord }
  | { kind: 'invalid_input'; problem: string }
  | { kind: 'duplicate' }
  | { kind: 'send'; mayBeGone: boolean };

/** Decides rows in file order; remembers the pairs seen so far. */
export class RowPlanner {
  readonly #seen = new PairTable();
  constructor(private readonly journal: Journal) {}

  /**
   * A row's plan. An invalid row is invalid again unless an earlier run recorded it so
   * (then it is skipped); a repeat of a pair seen earlier in the file is a duplicate
   * again; the first row of a pair carries the pair's recorded outcome.
   */
  plan(row: InputRow): RowPlan {
    const problem = rowProblem(row);
    const recorded = this.journal.earlier(row);
    const earlier =
      recorded.outcome !== undefined && FINISHED.has(recorded.outcome.outcome) ? recorded.outcome : undefined;
    if (problem !== undefined) {
      return earlier?.outcome === 'invalid_input'
        ? { kind: 'skip', earlier }
        : { kind: 'invalid_input', problem };
    }
    if (!this.#seen.add(row.customerId, row.cardReference)) return { kind: 'duplicate' };
    if (earlier !== undefined && earlier.outcome !== 'invalid_input') return { kind: 'skip', earlier };
    return { kind: 'send', mayBeGone: recorded.mayBeGone };
  }
}

/** The counts of a planning pass. */
export interface Plan {
  total: number;
  toSend: number;
  invalidInput: number;
  duplicate: number;
  skipped: number;
  /** The first invalid rows, for the operator (at most {@link PROBLEMS_SHOWN}). */
  problems: { line: number; problem: string }[];
  /** Lines of the journal that did not parse (skipped). */
  unreadableJournalLines: number;
}

/** How many invalid rows the plan lists; the rest are counted ("and N more"). */
export const PROBLEMS_SHOWN = 20;

/** What a planning pass needs of a row's plan (both commands' plans have these kinds). */
type PlanKind =
  | { kind: 'skip' }
  | { kind: 'duplicate' }
  | { kind: 'send' }
  | { kind: 'list' }
  | { kind: 'invalid_input'; problem: string };

/** Counts the plans of `rows`, sending nothing (`toSend`: rows to send, or customers to list). */
export async function countPlan(
  rows: AsyncIterable<InputRow>,
  decide: (row: InputRow) => PlanKind,
  journal: Journal,
): Promise<Plan> {
  const plan: Plan = {
    total: 0,
    toSend: 0,
    invalidInput: 0,
    duplicate: 0,
    skipped: 0,
    problems: [],
    unreadableJournalLines: journal.unreadable,
  };
  for await (const row of rows) {
    plan.total += 1;
    const decided = decide(row);
    if (decided.kind === 'send' || decided.kind === 'list') plan.toSend += 1;
    else if (decided.kind === 'duplicate') plan.duplicate += 1;
    else if (decided.kind === 'skip') plan.skipped += 1;
    else {
      plan.invalidInput += 1;
      if (plan.problems.length < PROBLEMS_SHOWN)
        plan.problems.push({ line: row.line, problem: decided.problem });
    }
  }
  return plan;
}

/** Reads the whole `delete-cards` file once, sending nothing: its counts, and any error in it. */
export function planRun(file: string, journal: Journal): Promise<Plan> {
  const planner = new RowPlanner(journal);
  return countPlan(readRows(file), (row) => planner.plan(row), journal);
}

/** The plan, as the operator reads it. */
export function describePlan(
  file: string,
  plan: Plan,
  host: string,
  journalPath: string,
  erase = false,
): string {
  const lines = [
    `Plan for ${file}:`,
    erase ? `  customer rows: ${plan.total}` : `  rows: ${plan.total}`,
    erase
      ? `  customers to list, then delete every card of: ${plan.toSend} (at ${host})`
      : `  to send: ${plan.toSend} (to ${host})`,
    `  invalid_input (not sent): ${plan.invalidInput}`,
    ...plan.problems.map(({ line, problem }) => `    line ${line}: ${safeLine(problem)}`),
    ...(plan.invalidInput > plan.problems.length
      ? [`    and ${plan.invalidInput - plan.problems.length} more`]
      : []),
    `  duplicate (not sent): ${plan.duplicate}`,
    `  finished by an earlier run (skipped): ${plan.skipped}${plan.skipped > 0 ? ` (journal ${journalPath})` : ''}`,
    ...(plan.unreadableJournalLines > 0 ? [unreadableNotice(plan.unreadableJournalLines, journalPath)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** The warning for journal lines that did not parse. */
export function unreadableNotice(count: number, journalPath: string): string {
  return `  warning: ${count} line(s) of the journal ${journalPath} did not parse and were skipped (their rows are decided as if never run)`;
}
