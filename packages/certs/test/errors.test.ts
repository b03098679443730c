import { HakocError, isHakocError } from '@hakoc/certs';
import { describe, expect, it } from 'vitest';

describe('HakocError', () => {
  it('carries a stable code, a hint and a cause', () => {
    const cause = new Error('disk full');
    const error = new HakocError('HAKOC_TEST', 'could not write', { cause, hint: 'free space' });
    expect(error.code).toBe('HAKOC_TEST');
    expect(error.hint).toBe('free space');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('could not write');
  });

  it('is recognised by its marker, even from another copy of the package', () => {
    expect(isHakocError(new HakocError('X', 'x'))).toBe(true);
    const foreignCopy = Object.assign(new Error('x'), { [Symbol.for('hakoc.error')]: true });
    expect(isHakocError(foreignCopy)).toBe(true);
    expect(isHakocError(new Error('plain'))).toBe(false);
    expect(isHakocError('HakocError')).toBe(false);
    expect(isHakocError(null)).toBe(false);
  });
});
