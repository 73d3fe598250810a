import { runRouteContract } from '@juspay-tokens/route-contract';
import { fetchHarness } from './harness.js';

// There is no body parser in front of a fetch handler: the table runs without one.
runRouteContract('fetch handler on Node', fetchHarness, { parserErrorsAnswered: true, bodyParsers: false });
