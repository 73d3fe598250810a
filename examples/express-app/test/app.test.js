import { runShopSuite } from '@juspay-tokens/route-contract/shop';
import { createShop, DEMO_CARDS, DEMO_CUSTOMER } from '../src/app.js';
import { readSettings } from '../src/settings.js';

runShopSuite('Express example', { createShop, readSettings, DEMO_CARDS, DEMO_CUSTOMER });
