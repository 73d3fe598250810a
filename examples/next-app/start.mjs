// `pnpm start:next`: builds the Next.js shop when its sources are newer than the last
// build, then runs `next start` on PORT (default 3000), passing SIGINT and SIGTERM on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const next = createRequire(import.meta.url).resolve('next/dist/bin/next');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

/** The newest modification time under `path`. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const buildId = join(dir, '.next/BUILD_ID');
const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const sources = Math.max(
  ...['app', 'lib', 'next.config.mjs', '../shop-kit/src', '../../packages/fetch/dist'].map((p) =>
    newest(join(dir, p)),
  ),
);
if (sources > built) {
  console.log('Building the Next.js shop (next build)...');
  const build = spawnSync(process.execPath, [next, 'build'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    console.error('next build failed: run it in examples/next-app to see why.');
    process.exit(1);
  }
}

const port = process.env.PORT || '3000';
const child = spawn(process.execPath, [next, 'start', '--port', port], { cwd: dir, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
