/**
 * Progress: a live bar (done/total, rate, ETA, outcomes) on a terminal, else a plain
 * line on stderr at most every 5 seconds.
 */
import { SingleBar } from 'cli-progress';
import type { Tally } from './tally.js';

const LINE_EVERY_MS = 5_000;

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

function rateOf(tally: Tally): number {
  return tally.done / Math.max(0.001, tally.elapsedMs() / 1000);
}

function bar(tally: Tally, stream: NodeJS.WriteStream): Progress {
  const display = new SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} | {speed} rows/s | ETA {eta_formatted} | {outcomes}',
      hideCursor: true,
      etaBuffer: 200,
      fps: 5,
    },
    undefined,
  );
  display.start(tally.total, tally.done, { speed: '0', outcomes: tally.describe() });
  return {
    update: () => display.update(tally.done, { speed: rateOf(tally).toFixed(1), outcomes: tally.describe() }),
    stop: () => display.stop(),
  };
}

function lines(tally: Tally, stream: NodeJS.WritableStream): Progress {
  let last = performance.now();
  const print = () => {
    const rate = rateOf(tally);
    const eta = formatDuration(((tally.total - tally.done) / rate) * 1000);
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
export function progressFor(tally: Tally, stream: NodeJS.WriteStream): Progress {
  return stream.isTTY ? bar(tally, stream) : lines(tally, stream);
}
