import { readFile } from 'node:fs/promises';
import { type ParseResult, parseClusterSpec } from './parse.js';

/**
 * Reads a YAML or JSON spec file and parses it like {@link parseClusterSpec}, with the file
 * name in every diagnostic's location. A missing or unreadable file is one diagnostic
 * (`spec.unreadable`), not a thrown error.
 */
export async function readClusterSpecFile(path: string): Promise<ParseResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
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
