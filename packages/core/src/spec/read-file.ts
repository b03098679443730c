import { open } from 'node:fs/promises';
import { type ParseResult, parseClusterSpec } from './parse.js';
import { MAX_SPEC_BYTES, specTooLarge } from './size-limit.js';

/**
 * Reads a YAML or JSON spec file and parses it like {@link parseClusterSpec}, with the file
 * name in every diagnostic's location. A missing or unreadable file is one diagnostic
 * (`spec.unreadable`), not a thrown error; so is a file over the size limit (`spec.tooLarge`),
 * of which only the first bytes past the limit are read (a device or pipe may never end).
 */
export async function readClusterSpecFile(path: string): Promise<ParseResult> {
  let text: string;
  try {
    const bytes = await readAtMost(path, MAX_SPEC_BYTES + 1);
    if (bytes.length > MAX_SPEC_BYTES) return { ok: false, diagnostics: [specTooLarge(undefined)] };
    text = bytes.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      diagnostics: [
        {
          severity: 'error',
          code: 'spec.unreadable',
          message: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
          path: [],
          hint:
            code === 'ENOENT'
              ? 'check the path; it is relative to the current directory'
              : 'check that the path is a readable file',
        },
      ],
    };
  }
  return parseClusterSpec(text, { file: path });
}

/** The first `limit` bytes of a file (all of it when shorter). */
async function readAtMost(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
