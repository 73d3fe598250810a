// OTEL=console: the shop started as `pnpm start` starts it prints a span per Juspay call.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_CUSTOMER } from '@juspay-tokens/example-shop-kit/demo';
import { afterEach, expect, it } from 'vitest';

const server = fileURLToPath(new URL('../src/server.js', import.meta.url));
const children = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts the shop with `env`; resolves with its URL and a reader of everything it printed. */
function startShop(env) {
  const child = spawn(process.execPath, [server], {
    env: { PATH: process.env.PATH, PORT: '0', SESSION_SECRET: 'otel-test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const ready = () => {
      const match = /ready on (http:\/\/localhost:\d+)/.exec(output);
      if (match) resolve({ url: match[1], output: () => output, child });
    };
    child.stdout.on('data', ready);
    child.once('exit', (code) => reject(new Error(`the shop exited with ${code}:\n${output}`)));
  });
}

it('prints one span per Juspay call with OTEL=console, without the key, a card reference or the customer', async () => {
  const { url, output, child } = await startShop({ OTEL: 'console' });
  expect(output()).toContain('a span per Juspay call on the console');
  const login = await fetch(`${url}/login`, { method: 'POST' });
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  const listed = await fetch(`${url}/juspay/cards`, { headers: { cookie } });
  expect(listed.status).toBe(200);
  const deadline = Date.now() + 5_000;
  while (!output().includes("'juspay.outcome': 'listed'") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(output()).toContain("name: 'juspay listCards'");
  expect(output()).toContain("'juspay.outcome': 'listed'");
  expect(output()).toContain("'http.response.status_code': 200");
  expect(output()).not.toMatch(/offline_demo_key|card_ref_/);
  expect(output()).not.toContain(DEMO_CUSTOMER);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});

it('refuses an OTEL value it does not know, naming the fix', async () => {
  await expect(startShop({ OTEL: 'jaeger' })).rejects.toThrow(/OTEL must be "console"/);
});
