/**
 * `@hakoc/core/testing`: an in-memory mock provider for tests of the engine and of tools, and a
 * stand-in for the Kubernetes sysext pins so renders work offline. It does not need vitest; the
 * contract suite every provider must pass, which does, is `providerContractTests` from
 * `@hakoc/core/testing/contract`.
 *
 * @packageDocumentation
 */
// Types only: they cost no import of vitest at run time.
export type { ContractFixture, ProviderContractHarness } from './contract.js';
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
export {
  STAND_IN_SYSEXT_SHA256,
  type StandInSysextOptions,
  type StandInSysextRelease,
  standInSysextPins,
  startStandInSysextRelease,
  writeStandInSysextPins,
} from './sysext-stand-in.js';
