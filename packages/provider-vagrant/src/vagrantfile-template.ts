import { readFile } from 'node:fs/promises';

/**
 * Where the static Vagrantfile ships. One directory up from this module both in `src/` (tests
 * run the sources) and in `dist/` (the build bundles every module into one file there), so one
 * relative URL serves both.
 */
export const VAGRANTFILE_TEMPLATE_URL: URL = new URL('../templates/Vagrantfile', import.meta.url);

/** The Vagrantfile every project gets, byte for byte. */
export function readVagrantfileTemplate(): Promise<string> {
  return readFile(VAGRANTFILE_TEMPLATE_URL, 'utf8');
}
