import { runRouteContract } from '@juspay-tokens/route-contract';
import koa3 from 'koa';
import koa2 from 'koa2';
import { koaHarness } from './harness.js';

// A Koa body parser in front throws its parse errors before later middleware runs, so
// those come back with the parser's status but not our JSON body (see the README).
runRouteContract('Koa 3', koaHarness(koa3), { parserErrorsAnswered: false });
runRouteContract('Koa 2', koaHarness(koa2), { parserErrorsAnswered: false });
