// `pnpm start` / `pnpm start:koa`: rebuilds the packages a shop uses only when a source is
// newer than the build, then runs the shop in this process (so SIGTERM and a taken port
// end it cleanly, with one message and no wrapper noise).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const shop = process.argv[2] ?? 'express';
if (!['express', 'koa', 'next'].includes(shop)) {
  console.error(`Unknown shop "${shop}": use express, koa or next.`);
  process.exit(1);
}

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

for (const name of ['core', shop === 'next' ? 'fetch' : shop]) {
  const dir = join(root, 'packages', name);
  const built = existsSync(join(dir, 'dist/index.js')) ? statSync(join(dir, 'dist/index.js')).mtimeMs : 0;
  const source = Math.max(
    newest(join(dir, 'src')),
    newest(join(dir, 'package.json')),
    newest(join(dir, 'tsup.config.ts')),
  );
  if (source <= built) continue;
  console.log(`Building @juspay-tokens/${name} (its sources changed)...`);
  const build = spawnSync('pnpm', ['--filter', `@juspay-tokens/${name}`, 'run', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    console.error(`Building @juspay-tokens/${name} failed: run pnpm build to see why.`);
    process.exit(1);
  }
}

if (shop === 'next') await import('../examples/next-app/start.mjs');
else await import(`../examples/${shop}-app/src/server.js`);
