/**
 * What a run will do with each row, decided before anything is sent, the same way in
 * the planning pass and in the run: finished by an earlier run (skipped), breaking the
 * input rules, a repeat of an earlier pair, or to send.
 */
import { FINISHED, type Journal, type OutcomeRecord } from './journal.js';
import { PairSet } from './pair-set.js';
import { readRows, rowProblem, type InputRow } from './rows.js';

export type RowPlan =
  | { kind: 'skip'; earlier: OutcomeRecord }
  | { kind: 'invalid_input'; problem: string }
  | { kind: 'duplicate' }
  | { kind: 'send'; mayBeGone: boolean };

/** Decides rows in file order; remembers the pairs seen so far. */
export class RowPlanner {
  readonly #seen = new PairSet();
  constructor(private readonly journal: Journal) {}

  plan(row: InputRow): RowPlan {
    const problem = rowProblem(row);
    let repeated = false;
    if (problem === undefined) repeated = !this.#seen.add(row.customerId, row.cardReference);
    const earlier = this.journal.earlier(row);
    if (earlier.outcome !== undefined && FINISHED.has(earlier.outcome.outcome)) {
      return { kind: 'skip', earlier: earlier.outcome };
    }
    if (problem !== undefined) return { kind: 'invalid_input', problem };
    if (repeated) return { kind: 'duplicate' };
    return { kind: 'send', mayBeGone: earlier.mayBeGone };
  }
}

/** The counts of a planning pass. */
export interface Plan {
  total: number;
  toSend: number;
  invalidInput: number;
  duplicate: number;
  skipped: number;
  /** The first few invalid rows, for the operator. */
  problems: { line: number; problem: string }[];
}

const PROBLEMS_SHOWN = 5;

/** Reads the whole file once, sending nothing: its counts, and any error in it. */
export async function planRun(file: string, journal: Journal): Promise<Plan> {
  const planner = new RowPlanner(journal);
  const plan: Plan = { total: 0, toSend: 0, invalidInput: 0, duplicate: 0, skipped: 0, problems: [] };
  for await (const row of readRows(file)) {
    plan.total += 1;
    const decided = planner.plan(row);
    if (decided.kind === 'send') plan.toSend += 1;
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

/** The plan, as the operator reads it. */
export function describePlan(file: string, plan: Plan, host: string, journalPath: string): string {
  const lines = [
    `Plan for ${file}:`,
    `  rows: ${plan.total}`,
    `  to send: ${plan.toSend} (to ${host})`,
    `  invalid_input (not sent): ${plan.invalidInput}`,
    ...plan.problems.map(({ line, problem }) => `    line ${line}: ${problem}`),
    `  duplicate (not sent): ${plan.duplicate}`,
    `  finished by an earlier run (skipped): ${plan.skipped}${plan.skipped > 0 ? ` (journal ${journalPath})` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}
