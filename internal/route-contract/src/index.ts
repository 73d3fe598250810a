/**
 * The route contract (the tables in each adapter's README: both routes, the bound calls
 * and the error handlers), written once and run against every
 * adapter and framework version. Each adapter supplies a harness: a real app with real
 * session middleware, driven by supertest.
 */
import { describe } from 'vitest';
import { runDefencesContract } from './defences.js';
import { useContractKit, type ContractCapabilities, type MakeHarness } from './kit.js';
import { runListContract } from './list.js';
import { runMerchantRoutesContract } from './merchant-routes.js';
import { runTableContract } from './table.js';

export {
  API_KEY,
  LIST_ROUTE,
  MERCHANT_ID,
  middlewareOptions,
  ROUTE,
  serveHarness,
  type ContractCapabilities,
  type ContractSession,
  type DeletedCard,
  type Harness,
  type HarnessOptions,
  type MakeHarness,
} from './kit.js';

/** Runs the whole route contract against one adapter on one framework version. */
export function runRouteContract(
  name: string,
  makeHarness: MakeHarness,
  capabilities: ContractCapabilities,
): void {
  describe(`route contract: ${name}`, () => {
    const kit = useContractKit(makeHarness);
    runTableContract(kit, capabilities);
    runDefencesContract(kit, capabilities);
    runListContract(kit);
    runMerchantRoutesContract(kit);
  });
}
