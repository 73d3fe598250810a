import { createServer } from 'node:http';
import { createShop } from './app.js';
import { readSettings } from './settings.js';

let settings;
let shop;
try {
  settings = readSettings(process.env);
  shop = await createShop(settings);
} catch (err) {
  console.error(`The shop cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
for (const warning of settings.warnings) console.warn(`Warning: ${warning}`);

const server = createServer(shop.handler);
server.on('error', (err) => {
  if (err.code === 'EADDRINUSE') {
    console.error(
      `Port ${settings.port} is in use. Stop the program using it, or pick another port: PORT=3001 pnpm start`,
    );
  } else {
    console.error(`The shop cannot start: ${err.message}`);
  }
  shop.close().then(
    () => process.exit(1),
    () => process.exit(1),
  );
});
server.listen(settings.port, () => {
  const { port } = server.address();
  console.log(
    shop.mode === 'offline'
      ? `Offline mode: no JUSPAY_API_KEY, so a fake Juspay runs in this process (${shop.fake.url}).`
      : `Live mode: talking to Juspay at ${shop.client.baseUrl}.`,
  );
  console.log(`Express shop ready on http://localhost:${port}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  shop.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
