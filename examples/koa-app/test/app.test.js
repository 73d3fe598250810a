import { runShopSuite } from '@juspay-tokens/route-contract/shop';
import { createShop } from '../src/app.js';

runShopSuite('Koa example', createShop);
