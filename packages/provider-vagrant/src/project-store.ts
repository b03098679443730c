import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProviderError, writeFileAtomic } from '@hakoc/core';
import PQueue from 'p-queue';
import {
  MACHINES_SCHEMA_VERSION,
  type MachinesDocument,
  serializeMachinesDocument,
} from './machines-json.js';
import { VAGRANT_PROVIDER_NAME } from './provider-error.js';

/** File names inside a project directory. */
export const PROJECT_FILES: {
  /** The static Vagrantfile. */
  readonly vagrantfile: 'Vagrantfile';
  /** The machine list the Vagrantfile reads, with the ownership labels. */
  readonly machines: 'machines.json';
  /** The cluster lock. */
  readonly lock: 'hakoc.lock';
  /** Vagrant's own records of the project's machines. */
  readonly vagrantState: '.vagrant';
} = {
  vagrantfile: 'Vagrantfile',
  machines: 'machines.json',
  lock: 'hakoc.lock',
  vagrantState: '.vagrant',
};

/**
 * The files of one Vagrant project directory. Changes to `machines.json` are read-modify-write,
 * and several machines are created at once, so they run one at a time through a queue; between
 * processes the cluster lock keeps a second apply out.
 */
export interface ProjectStore {
  /** The project directory, absolute. */
  readonly dir: string;
  /** `machines.json`, or `undefined` when there is none. */
  read(): Promise<MachinesDocument | undefined>;
  /**
   * Changes `machines.json` atomically, one change at a time. `change` gets the current
   * document; returning `undefined` removes the file.
   */
  update(
    change: (current: MachinesDocument | undefined) => MachinesDocument | undefined,
  ): Promise<void>;
  /** Writes a file of the project atomically; creates the directory (0700) first. */
  write(name: string, content: string, mode: number): Promise<void>;
  /** Reads a file of the project; `undefined` when it is missing. */
  readText(name: string): Promise<string | undefined>;
  /** Removes a file or directory of the project; a missing one is fine. */
  remove(name: string): Promise<void>;
}

/** The lowercase hex sha256 of a text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A {@link ProjectStore} over `dir`. */
export function createProjectStore(dir: string): ProjectStore {
  const root = resolve(dir);
  const queue = new PQueue({ concurrency: 1 });
  const readText = async (name: string) => {
    try {
      return await readFile(join(root, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const write = async (name: string, content: string, mode: number) => {
    // 0700: the directory holds every machine's user-data, keys included.
    await mkdir(root, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(root, name), content, mode);
  };
  const read = async () => {
    const text = await readText(PROJECT_FILES.machines);
    return text === undefined ? undefined : parseDocument(root, text);
  };
  return {
    dir: root,
    read,
    readText,
    write,
    async update(change) {
      await queue.add(async () => {
        const next = change(await read());
        if (next === undefined) await rm(join(root, PROJECT_FILES.machines), { force: true });
        else await write(PROJECT_FILES.machines, serializeMachinesDocument(next), 0o644);
      });
    },
    remove: (name) => rm(join(root, name), { recursive: true, force: true }),
  };
}

function parseDocument(dir: string, text: string): MachinesDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw unreadable(dir, 'it is not JSON', cause);
  }
  if (parsed === null || typeof parsed !== 'object' || !('machines' in parsed)) {
    throw unreadable(dir, 'it has no machine list');
  }
  if (!('schemaVersion' in parsed) || parsed.schemaVersion !== MACHINES_SCHEMA_VERSION) {
    throw unreadable(dir, `it is not schemaVersion ${MACHINES_SCHEMA_VERSION}`);
  }
  if (!Array.isArray(parsed.machines)) throw unreadable(dir, 'its machines are not a list');
  // Written by us through serializeMachinesDocument; the checks above catch hand edits that
  // would make every later step misread it.
  return parsed as MachinesDocument;
}

function unreadable(dir: string, why: string, cause?: unknown): ProviderError {
  return new ProviderError(`${join(dir, PROJECT_FILES.machines)} cannot be read: ${why}`, {
    provider: VAGRANT_PROVIDER_NAME,
    operation: 'list',
    reason: 'invalid',
    hint: 'Move the file away (hakoc writes it again) or restore it from the last render.',
    ...(cause === undefined ? {} : { cause }),
  });
}
