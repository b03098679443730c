import type { BootModule } from './module.js';
import { tmpfilesUnit } from './tmpfiles.js';

/** What every hakoc machine has: the unit that creates the modules' directories and links. */
export const baseModule: BootModule = () => ({ units: [tmpfilesUnit()] });
