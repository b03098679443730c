import { Secret } from '@hakoc/certs';
import { describe, expect, it } from 'vitest';
import {
  changedFields,
  isGraphError,
  isProviderError,
  type Provider,
  plan,
  type Resource,
} from '../../src/engine/index.js';
import { createMockProvider } from '../../src/testing/index.js';
import { owner, rejectionOf } from './fixtures.js';

const provider = () => createMockProvider({ types: [{ type: 'mock.thing' }] });

// Specs the mock types are not typed for: what a careless provider might put in a spec.
const planSpec = (spec: unknown) =>
  plan({ resources: [{ type: 'mock.thing', name: 'a', spec } as Resource<never>] }, provider(), {
    owner,
  });

describe('canonical JSON of specs and states', () => {
  it.each([
    ['a Secret', { token: new Secret('one') }, '.token is a Secret'],
    ['a Map', { routes: new Map([['a', 1]]) }, '.routes is a Map'],
    ['a Set', { tags: new Set(['a']) }, '.tags is a Set'],
    ['a Date', { at: new Date(0) }, '.at is a Date'],
    ['a BigInt', { size: 10n }, '.size is a BigInt'],
    ['NaN', { ratio: Number.NaN }, '.ratio is NaN'],
    ['a toJSON object', { v: { toJSON: () => 'x' } }, '.v is an object with its own toJSON'],
  ])('refuses %s in a spec with a GraphError naming the field', async (_, spec, says) => {
    const error = await rejectionOf(planSpec(spec));
    expect(isGraphError(error)).toBe(true);
    expect((error as Error).message).toContain(`mock.thing/a spec${says}, not plain JSON`);
  });

  it('refuses a cycle with a GraphError, not a raw TypeError', async () => {
    const spec: Record<string, unknown> = { a: [1] };
    spec.self = { back: spec };
    const error = await rejectionOf(planSpec(spec));
    expect(isGraphError(error)).toBe(true);
    expect((error as Error).message).toContain('.self.back is a reference back');
  });

  it('tells two rotated secrets apart where JSON.stringify cannot', () => {
    expect(JSON.stringify({ t: new Secret('one') })).toBe(JSON.stringify({ t: new Secret('two') }));
    expect(() => changedFields({ t: new Secret('one') }, { t: new Secret('two') })).toThrow(
      /\.t is a Secret, not plain JSON/,
    );
    expect(changedFields({ t: 'one', same: [1] }, { t: 'two', same: [1] })).toEqual(['t']);
  });

  it('refuses a listed state that is not plain JSON with a ProviderError', async () => {
    const mock = provider();
    const listed: Provider<unknown> = {
      ...mock,
      types: mock.types.map((type) => ({
        ...type,
        list: async () => [{ id: 'x', name: 'a', labels: owner.labels, seen: new Date(0) }],
      })),
    };
    const error = await rejectionOf(plan({ resources: [] }, listed, { owner }));
    expect(isProviderError(error) && error.reason === 'invalid').toBe(true);
    expect((error as Error).message).toContain('The state of mock.thing/a (x).seen is a Date');
  });
});
