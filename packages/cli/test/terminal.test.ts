// On a terminal (a pseudo-terminal from util-linux `script`): the typed confirmation and
// the live progress bar. Without one: a plain progress line on stderr every 5 seconds.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bulkRows, CLI, csv, envFor, fake, runCli, workdir } from './helpers.js';

/** Runs the command on a pseudo-terminal, typing `answer` once the prompt shows. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv, cwd: string, answer: string) {
  const command = ['node', CLI, ...args].map((part) => `'${part}'`).join(' ');
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
