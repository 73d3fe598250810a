/**
 * The command line: flags, their checks, and the help text. A wrong command line is a
 * {@link UsageError}: exit 1, nothing sent.
 */
import { parseArgs } from 'node:util';

/** A command line that cannot run; the message names the fix. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The commands that run through a file. */
export type RunCommand = 'delete-cards' | 'erase-customers';

/** What `delete-cards` or `erase-customers` was asked to do. */
export interface RunArgs {
  command: RunCommand;
  /** The input CSV. */
  file: string;
  concurrency: number;
  /** Attempts started per second, retries included. */
  rate: number;
  /** The JSON-lines journal; default `<file>.journal`. */
  journal: string;
  report: string | undefined;
  dryRun: boolean;
  yes: boolean;
  json: boolean;
  /** The command line as given (after `juspay-tokens`): the key is never on it. */
  argv: readonly string[];
}

export type Command = { kind: 'help'; text: string } | { kind: 'version' } | { kind: 'run'; args: RunArgs };

export const HELP = `Usage: juspay-tokens delete-cards <cards.csv> [options]
       juspay-tokens erase-customers <customers.csv> [options]
       juspay-tokens fake-juspay [options]   (a fake Juspay for tests: see fake-juspay --help)

delete-cards deletes saved card tokens through Juspay's Delete Token API, one per CSV
row. erase-customers lists each customer's saved cards and deletes every one. Both go at
a pace Juspay accepts and are resumable: run the same command again to finish an
interrupted run.

The CSV (UTF-8, a header row) names customer_id and card_reference (delete-cards) or
customer_id (erase-customers), in any order, and optionally routing_id; other columns
are ignored.

Options:
  --concurrency <n>  calls in flight at most, 1-256 (default 8)
  --rate <n>         attempts started per second at most, retries included (default 20)
  --report <file>    write a CSV report, one row per input row (erase-customers: per
                     card found, and per customer row that found none)
  --journal <file>   the JSON-lines journal that makes a run resumable
                     (default <cards.csv>.journal)
  --dry-run          check the file and print the plan; sends nothing, needs no key
  --yes              do not ask for confirmation (needed without a terminal)
  --json             print the summary as one JSON object on stdout
  -h, --help         show this help
  --version          show the version

Environment:
  JUSPAY_API_KEY      your Juspay API key (required unless --dry-run; never a flag)
  JUSPAY_ENVIRONMENT  sandbox (default) or production
  JUSPAY_BASE_URL     another Juspay base URL (overrides JUSPAY_ENVIRONMENT)
  JUSPAY_MERCHANT_ID  your merchant id (erase-customers, unless --dry-run)

Exit codes: 0 every row deleted, already gone or a duplicate; 2 some rows invalid or
failed (see the report); 3 stopped early (authentication failure, Ctrl-C); 1 a usage or
configuration error, nothing sent.
`;

function integerFlag(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max} (got "${raw}")`);
  }
  return value;
}

function rateFlag(raw: string | undefined): number {
  if (raw === undefined) return 20;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--rate must be a number of attempts per second above 0 (got "${raw}")`);
  }
  return value;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        concurrency: { type: 'string' },
        rate: { type: 'string' },
        report: { type: 'string' },
        journal: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    // parseArgs names the unknown or malformed flag.
    throw new UsageError(`${(err as Error).message}. See juspay-tokens --help`);
  }
}

/**
 * Reads the command line (without `node` and the script).
 * @throws {UsageError} naming the fix.
 */
export function parseCommand(argv: string[]): Command {
  const { values, positionals } = parse(argv);
  if (values.help) return { kind: 'help', text: HELP };
  if (values.version) return { kind: 'version' };
  const [command, file, ...extra] = positionals;
  if (command === undefined) throw new UsageError('Name a command: juspay-tokens delete-cards <cards.csv>');
  if (command !== 'delete-cards' && command !== 'erase-customers') {
    throw new UsageError(
      `Unknown command "${command}": the commands are delete-cards, erase-customers and fake-juspay. See juspay-tokens --help`,
    );
  }
  const example = command === 'delete-cards' ? 'cards.csv' : 'customers.csv';
  if (file === undefined) throw new UsageError(`Name the CSV file: juspay-tokens ${command} <${example}>`);
  if (extra.length > 0) throw new UsageError(`Give one CSV file (also got ${extra.join(' ')})`);
  return {
    kind: 'run',
    args: {
      command,
      file,
      concurrency: integerFlag('concurrency', values.concurrency, 8, 256),
      rate: rateFlag(values.rate),
      journal: values.journal ?? `${file}.journal`,
      report: values.report,
      dryRun: values['dry-run'],
      yes: values.yes,
      json: values.json,
      argv: [...argv],
    },
  };
}
