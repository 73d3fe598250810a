import { serveShop } from '@juspay-tokens/example-shop-kit/serve';
import { createShop } from './app.js';

await serveShop('Koa shop', createShop);
