// On a terminal (a pseudo-terminal from util-linux `script`): the typed confirmation and
// the live progress bar. Without one: a plain progress line on stderr every 5 seconds.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bulkRows, CLI, csv, envFor, fake, runCli, workdir } from './helpers.js';

/**
 * Runs the command on a pseudo-terminal (`columns` wide), typing `answer` once the
 * prompt shows.
 */
function onTerminal(args: string[], env: NodeJS.ProcessEnv, cwd: string, answer: string, columns = 100) {
  const command = `stty cols ${columns} rows 30; ${['node', CLI, ...args].map((part) => `'${part}'`).join(' ')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env,
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let answered = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (!answered && output.includes('to go on:')) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('on a terminal', () => {
  it('asks the operator to type the number of rows, then shows a live bar', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 3));
    const run = await onTerminal(['delete-cards', file], { ...envFor(target), TERM: 'xterm' }, dir, '3');
    expect(run.output).toMatch(/This deletes 3 saved card\(s\) at 127\.0\.0\.1:\d+\. Type 3 to go on:/);
    expect(run.output).toMatch(/3\/3 \| [\d.]+ rows\/s \| ETA/);
    expect(run.output).toMatch(/deleted 3,/);
    expect(run.code).toBe(0);
    expect(target.cards('bulk')).toEqual([]);
  });

  it('sends nothing when the operator types anything else', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 3));
    const run = await onTerminal(['delete-cards', file], { ...envFor(target), TERM: 'xterm' }, dir, 'yes');
    expect(run.output).toMatch(/Not confirmed \(typed "yes", not 3\)\. Nothing was sent\./);
    expect(run.code).toBe(1);
    expect(target.requests).toHaveLength(0);
  });
});

/** What the terminal showed, frame by frame: the output cut at every CR and LF, escapes removed. */
function frames(output: string): string[] {
  // A move to the first column (how the bar redraws) starts a frame too.
  return output
    .replace(/\u001b\[\d*G/g, '\n')
    .replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[78]/g, '')
    .split(/\r|\n/);
}

describe('the live bar', () => {
  it('fits the terminal and counts rows per second over rows this run sent', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 60));
    const first = await onTerminal(
      ['delete-cards', file, '--yes'],
      { ...envFor(target), TERM: 'xterm' },
      dir,
      '',
      60,
    );
    expect(first.code).toBe(0);
    const bars = frames(first.output).filter((frame) => frame.includes('rows/s'));
    expect(bars.length).toBeGreaterThan(0);
    for (const frame of bars) expect(frame.length).toBeLessThanOrEqual(60);
    // 60 rows finished by the first run, 4 new ones at --rate 4: about 4 rows/s, not 60.
    for (let i = 0; i < 4; i++) target.addCard({ customerId: 'bulk', cardReference: `more_${i}` });
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}${[0, 1, 2, 3].map((i) => `bulk,more_${i}`).join('\n')}\n`,
    );
    const resumed = await onTerminal(
      ['delete-cards', file, '--yes', '--rate', '4'],
      { ...envFor(target), TERM: 'xterm' },
      dir,
      '',
      60,
    );
    expect(resumed.code).toBe(0);
    const speeds = frames(resumed.output)
      .map((frame) => /\| ([\d.]+) rows\/s/.exec(frame)?.[1])
      .filter((speed) => speed !== undefined)
      .map(Number);
    expect(speeds.length).toBeGreaterThan(0);
    expect(Math.max(...speeds)).toBeLessThanOrEqual(5);
  });
});

describe('without a terminal', () => {
  it('prints a progress line on stderr at most every 5 seconds', async () => {
    const dir = workdir();
    const target = await fake();
    const file = csv(dir, bulkRows(target, 14));
    const run = await runCli(['delete-cards', file, '--yes', '--rate', '2'], envFor(target), dir);
    expect(run.code).toBe(0);
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('progress: '));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines[0]).toMatch(/^progress: \d+\/14 rows \(\d+%\), [\d.]+ rows\/s, ETA \S+; deleted \d+,/);
  });
});
