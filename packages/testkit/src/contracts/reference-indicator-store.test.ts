// The contract's hand-computed expectations, checked against the reference store: if both agree, neither the
// suite nor the reference is likely to be wrong. (Its randomized test then compares the reference with itself.)
import { runIndicatorStoreContract } from './indicator-store-contract.js';
import { createReferenceIndicatorStore } from './reference-indicator-store.js';

runIndicatorStoreContract({
  create: () => {
    const store = createReferenceIndicatorStore();
    return Promise.resolve({ store, close: () => store.close() });
  },
  propertyRuns: 5,
  keySums: true,
});
