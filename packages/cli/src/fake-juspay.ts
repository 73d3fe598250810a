/**
 * `juspay-tokens fake-juspay`: the core's fake Juspay as a standalone server (the role
 * stripe-mock plays for Stripe), for tests in any language and for several app
 * instances sharing one fake. It listens on loopback unless `--host` names another
 * address, logs one line per request (method, path, status; never a header), and stops
 * on SIGINT or SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startFakeJuspay, type FakeCard } from '@juspay-tokens/core/testing';
import { UsageError } from './args.js';
import { ConfigError } from './config.js';

/** What `fake-juspay` was asked to do. */
export interface FakeJuspayArgs {
  port: number;
  /** The address to listen on: loopback unless `--host` names another. */
  host: string;
  apiKey: string;
  merchantId: string | undefined;
  /** A JSON file: an array of cards as `addCard` takes them. */
  cards: string | undefined;
  rateLimit: number | undefined;
}

const FAKE_HELP = `Usage: juspay-tokens fake-juspay [options]

Starts a fake Juspay (the Delete Token and List Stored Cards calls) on loopback, for
tests and demos. Point a client at the URL it prints, with the key it prints.

Options:
  --port <n>          port to listen on, 0 for any free one (default 4010)
  --host <address>    address to listen on (default 127.0.0.1; name any other explicitly)
  --api-key <key>     the test key the fake accepts (default test_key)
  --merchant-id <id>  require this x-merchantid on list calls
  --cards <file>      a JSON array of cards: { customerId, cardReference, brand, last4,
                      expiryMonth, expiryYear, nickname, expired, ... }
  --rate-limit <n>    answer 429 past n requests in any one second
`;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|::1|\[::1\])$/;

function numberFlag(name: string, raw: string | undefined, check: (value: number) => boolean, rule: string) {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !check(value)) throw new UsageError(`--${name} must be ${rule} (got "${raw}")`);
  return value;
}

/**
 * Reads the `fake-juspay` command line (after the command name).
 * @throws {UsageError} naming the fix.
 */
export function parseFakeJuspayCommand(
  argv: string[],
): { kind: 'help'; text: string } | { kind: 'fake-juspay'; args: FakeJuspayArgs } {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: FAKE_HELP };
  return { kind: 'fake-juspay', args: parseFakeJuspayArgs(argv) };
}

function parseFakeJuspayArgs(argv: string[]): FakeJuspayArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        'merchant-id': { type: 'string' },
        cards: { type: 'string' },
        'rate-limit': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}. See juspay-tokens fake-juspay --help`);
  }
  const port = numberFlag(
    'port',
    values.port,
    (v) => Number.isInteger(v) && v >= 0 && v <= 65535,
    'a port from 0 to 65535',
  );
  const rateLimit = numberFlag(
    'rate-limit',
    values['rate-limit'],
    (v) => Number.isFinite(v) && v > 0,
    'a number above 0',
  );
  return {
    port: port ?? 4010,
    host: values.host ?? '127.0.0.1',
    apiKey: values['api-key'] ?? 'test_key',
    merchantId: values['merchant-id'],
    cards: values.cards,
    rateLimit,
  };
}

function isCard(value: unknown): value is FakeCard {
  const card = value as Partial<FakeCard> | null;
  return (
    typeof card === 'object' &&
    card !== null &&
    typeof card.customerId === 'string' &&
    typeof card.cardReference === 'string'
  );
}

async function readCards(path: string): Promise<FakeCard[]> {
  let cards: unknown;
  try {
    cards = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    throw new ConfigError(`--cards ${path}: ${(err as Error).message}. Give a JSON array of cards.`);
  }
  if (!Array.isArray(cards) || !cards.every(isCard)) {
    throw new ConfigError(
      `--cards ${path} must be a JSON array of cards, each with string customerId and cardReference`,
    );
  }
  return cards;
}

/** Runs the fake until `stop` aborts; resolves with the exit code. */
export async function runFakeJuspay(
  args: FakeJuspayArgs,
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  stop: AbortSignal,
): Promise<number> {
  const cards = args.cards === undefined ? [] : await readCards(args.cards);
  if (!LOOPBACK.test(args.host)) {
    out.stderr.write(
      `Warning: listening on ${args.host}, not loopback: anyone who can reach it can use it.\n`,
    );
  }
  let fake;
  try {
    fake = await startFakeJuspay({
      apiKey: args.apiKey,
      merchantId: args.merchantId,
      cards,
      port: args.port,
      host: args.host,
      rateLimit: args.rateLimit === undefined ? undefined : { perSecond: args.rateLimit },
      onAnswer: ({ method, path, status }) => out.stdout.write(`${method} ${path} ${status}\n`),
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new ConfigError(
      code === 'EADDRINUSE'
        ? `port ${args.port} is in use: pick another with --port (0 for any free one)`
        : `cannot listen on ${args.host}:${args.port}: ${(err as Error).message}`,
    );
  }
  const merchant = args.merchantId === undefined ? '' : `, merchant id ${args.merchantId}`;
  out.stdout.write(
    `Fake Juspay listening on ${fake.url} (API key ${fake.apiKey}${merchant}; ${cards.length} card(s)). Ctrl-C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
  await fake.close();
  return 0;
}
