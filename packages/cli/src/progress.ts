/**
 * Progress: a live bar (done/total, rate, ETA, outcomes) on a terminal, fitted to its
 * width, else a plain line on stderr at most every 5 seconds. The rate counts rows this
 * run sent, not rows an earlier run finished. Messages during a run go through
 * {@link Notices}, so a notice is never drawn over by the bar.
 */
import { SingleBar } from 'cli-progress';
import type { Tally } from './tally.js';

const LINE_EVERY_MS = 5_000;
const NARROWEST_BAR = 10;

/** Where messages during a run go: stderr, or above the live bar while one is drawn. */
export interface Notices {
  write: (text: string) => void;
}

export interface Progress {
  update(): void;
  stop(): void;
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/** Rows sent per second by this run, and the time the rows left to send will take. */
function pace(tally: Tally): { rate: number; eta: string } {
  const rate = tally.sent / Math.max(0.001, tally.elapsedMs() / 1000);
  const left = tally.total - tally.done;
  return { rate, eta: left === 0 ? '0s' : formatDuration(rate === 0 ? Infinity : (left / rate) * 1000) };
}

/** The bar's line for a terminal `columns` wide: the bar takes what the text leaves. */
function barLine(tally: Tally, columns: number, filled: (size: number) => string): string {
  const { rate, eta } = pace(tally);
  const text = ` ${tally.done}/${tally.total} | ${rate.toFixed(1)} rows/s | ETA ${eta} | ${tally.describe()}`;
  const room = columns - 1;
  const size = Math.max(NARROWEST_BAR, Math.min(40, room - text.length));
  return `${filled(size)}${text}`.slice(0, room);
}

function bar(tally: Tally, stream: NodeJS.WriteStream, notices: Notices): Progress {
  const display = new SingleBar(
    {
      stream,
      hideCursor: true,
      fps: 5,
      linewrap: false,
      format: (options, params) => {
        const columns = stream.columns > 0 ? stream.columns : 80;
        return barLine(tally, columns, (size) => {
          const complete = Math.round(params.progress * size);
          const { barCompleteChar = '#', barIncompleteChar = '-' } = options;
          return barCompleteChar.repeat(complete) + barIncompleteChar.repeat(size - complete);
        });
      },
    },
    undefined,
  );
  display.start(tally.total, tally.done);
  const plain = notices.write;
  // A notice clears the bar's line first; the bar redraws below it on its next frame.
  notices.write = (text) => stream.write(`\r\u001b[2K${text}`);
  return {
    update: () => display.update(tally.done),
    stop: () => {
      display.stop();
      notices.write = plain;
    },
  };
}

function lines(tally: Tally, stream: NodeJS.WritableStream): Progress {
  let last = performance.now();
  const print = () => {
    const { rate, eta } = pace(tally);
    const percent = tally.total === 0 ? 100 : Math.floor((tally.done / tally.total) * 100);
    stream.write(
      `progress: ${tally.done}/${tally.total} rows (${percent}%), ${rate.toFixed(1)} rows/s, ETA ${eta}; ${tally.describe()}\n`,
    );
  };
  return {
    update: () => {
      const now = performance.now();
      if (now - last < LINE_EVERY_MS) return;
      last = now;
      print();
    },
    stop: () => {},
  };
}

/** The progress display for `stream`: a bar on a terminal, lines otherwise. */
export function progressFor(tally: Tally, stream: NodeJS.WriteStream, notices: Notices): Progress {
  return stream.isTTY ? bar(tally, stream, notices) : lines(tally, stream);
}
