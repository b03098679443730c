import type { Diagnostic } from './diagnostic.js';
import { error } from './rules/rule.js';

/**
 * The largest spec text read, in bytes. The longest real spec, `hakoc init`'s with a comment on
 * every field, is about 7 KB; the limit keeps a huge or endless file (a log pasted by mistake,
 * `/dev/zero`) from costing seconds of parsing, since YAML's duplicate-key check grows with the
 * square of a mapping's size.
 */
export const MAX_SPEC_BYTES = 64 * 1024;

/** The diagnostic for a text over {@link MAX_SPEC_BYTES}; `size` undefined when unknown. */
export function specTooLarge(size: number | undefined): Diagnostic {
  return error(
    'spec.tooLarge',
    [],
    `the spec is ${size === undefined ? 'larger than' : `${size.toLocaleString('en-US')} bytes, over`} the limit of ${MAX_SPEC_BYTES.toLocaleString('en-US')} bytes`,
    'a cluster spec is a few kilobytes; check that the path names the spec file',
  );
}
