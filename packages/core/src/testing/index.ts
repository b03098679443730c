/**
 * `@hakoc/core/testing`: an in-memory mock provider and the contract suite every provider must
 * pass.
 *
 * @packageDocumentation
 */
export {
  type ContractFixture,
  type ProviderContractHarness,
  providerContractTests,
} from './contract.js';
export {
  type JsonValue,
  type MockCall,
  type MockCallInfo,
  MockCloud,
  type MockCloudOptions,
  MockCrashError,
  type MockFault,
  type MockFaultSchedule,
  type MockObject,
  type MockOperation,
  type MockRequest,
  type MockSpec,
} from './mock-cloud.js';
export {
  createMockProvider,
  MOCK_LOCK_TYPE,
  type MockInput,
  type MockOutputs,
  type MockProvider,
  type MockProviderOptions,
  type MockTypeOptions,
} from './mock-provider.js';
export { seededRandom } from './seeded-random.js';
