import { runRouteContract } from '@juspay-tokens/route-contract';
import express5 from 'express';
import express4 from 'express4';
import { expressHarness } from './harness.js';

runRouteContract('Express 5', expressHarness(express5), { parserErrorsAnswered: true });
runRouteContract('Express 4', expressHarness(express4), { parserErrorsAnswered: true });
