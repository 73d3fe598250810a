/**
 * What the operator reads at the end of a run: "Done" or "Stopped", the counts, why a
 * run stopped, and the command that resumes it, repeated as given.
 */
import type { RunArgs } from './args.js';
import { unreadableNotice } from './plan.js';
import type { RunResult, StopReason } from './run-session.js';
import { safeLine } from './safe-text.js';

/** One word of a shell command line, quoted when the shell would split or expand it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that resumes the run: the command line as given (the key is never on it). */
export function resumeCommand(args: RunArgs): string {
  return safeLine(['juspay-tokens', ...args.argv].map(shellWord).join(' '));
}

function stopLine(reason: StopReason, result: RunResult): string {
  switch (reason) {
    case 'authentication':
      return 'Stopped: Juspay rejected the API key (AUTHENTICATION_FAILED). Check JUSPAY_API_KEY and JUSPAY_ENVIRONMENT (a sandbox key only works with sandbox, a production key with production).';
    case 'signal':
      return `Stopped on request: ${result.notRun} row(s) not run.`;
    case 'journal':
    case 'report':
      return `Stopped: ${safeLine(result.writeError?.message ?? `a ${reason} write failed`)}. No row was sent without its journal record.`;
  }
}

/** The summary printed at the end of a run (without `--json`). */
export function describeEnd(args: RunArgs, result: RunResult, unreadable: number): string {
  const { summary, stoppedBy } = result;
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  const rows = `${summary.total} rows${summary.customers === undefined ? '' : ` from ${summary.customers} customer rows`}`;
  const customers =
    summary.customers === undefined
      ? ''
      : `, no_cards ${summary.no_cards}, list_failed ${summary.list_failed}`;
  const lines = [
    stoppedBy === undefined ? `Done in ${seconds} s: ${rows}.` : `Stopped after ${seconds} s: ${rows}.`,
    `  deleted ${summary.deleted}, already_gone ${summary.already_gone}, invalid_request ${summary.invalid_request}, invalid_input ${summary.invalid_input}, duplicate ${summary.duplicate}, failed ${summary.failed}${customers}, skipped ${summary.skipped}, not_run ${summary.not_run}`,
    `  journal: ${safeLine(args.journal)}${args.report === undefined ? '' : `; report: ${safeLine(args.report)}`}`,
  ];
  if (stoppedBy === undefined && summary.total > 0 && summary.skipped === summary.total) {
    lines.push(
      `All ${summary.total} rows were finished by earlier runs (see the journal): nothing was sent.`,
    );
  }
  if (result.warning !== undefined) lines.push(result.warning);
  if (unreadable > 0) lines.push(unreadableNotice(unreadable, safeLine(args.journal)).trim());
  if (stoppedBy !== undefined) lines.push(stopLine(stoppedBy, result));
  if (stoppedBy !== undefined || summary.failed > 0) {
    lines.push(`To resume, run: ${resumeCommand(args)} (the journal skips the rows already done)`);
  }
  return `${lines.join('\n')}\n`;
}
