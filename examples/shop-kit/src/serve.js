import { createServer } from 'node:http';
import { readSettings } from './settings.js';

/**
 * Starts a shop from the environment and serves it until SIGINT or SIGTERM, then closes
 * it and exits 0. A bad setting or a taken port prints what to do and exits 1.
 *
 * @param {string} name e.g. "Express shop"
 * @param {(settings: ReturnType<typeof readSettings>) => Promise<{ handler: import('node:http').RequestListener, close(): Promise<void>, mode: string, describe(): string }>} createShop
 */
export async function serveShop(name, createShop) {
  let settings;
  let shop;
  try {
    settings = readSettings(process.env);
    shop = await createShop(settings);
  } catch (err) {
    console.error(`The shop cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
    return;
  }
  for (const warning of settings.warnings) console.warn(`Warning: ${warning}`);

  const server = createServer(shop.handler);
  const stop = (code) => {
    server.close();
    server.closeAllConnections();
    shop.close().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  server.on('error', (err) => {
    console.error(
      err.code === 'EADDRINUSE'
        ? `Port ${settings.port} is in use. Stop the program using it, or pick another port: PORT=3001`
        : `The shop cannot start: ${err.message}`,
    );
    stop(1);
  });
  server.listen(settings.port, () => {
    console.log(shop.describe());
    console.log(`${name} ready on http://localhost:${server.address().port}`);
  });
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
}
