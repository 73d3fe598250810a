import { runRouteContract } from '@juspay-tokens/route-contract';
import { honoHarness } from './harness.js';

runRouteContract('Hono 4', honoHarness, { parserErrorsAnswered: true });
