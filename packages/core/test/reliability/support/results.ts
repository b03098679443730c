import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReliabilityRecord, ReliabilityTest } from './record.js';
import { renderReliabilityDoc } from './render-doc.js';

// The reliability tests record what they ran in docs/reliability/<id>.json (one file per test,
// so parallel test files never write the same file) and regenerate docs/reliability.md from all
// of them: the figures in the document come from the suite, never from a keyboard.

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
/** Where the records live. */
export const RESULTS_DIR = join(root, 'docs', 'reliability');
/** The document the records are rendered into. */
export const RELIABILITY_DOC = join(root, 'docs', 'reliability.md');

/** Counts the cases of one run. */
export interface CaseCounter {
  /** Adds `n` (default 1) cases that ran. */
  add(n?: number): void;
  /** Cases so far. */
  readonly count: number;
  /** Figures only known once the cases ran ("97 kills left a stale lock"), for the document. */
  note(details: string): void;
}

/**
 * Runs `body`, counting its cases, and records the outcome, pass or fail (a failure is
 * recorded, then thrown again), then regenerates docs/reliability.md.
 */
export async function recordReliability<T>(
  test: ReliabilityTest,
  body: (cases: CaseCounter) => Promise<T> | T,
): Promise<T> {
  let count = 0;
  let details: string | undefined;
  const counter: CaseCounter = {
    note: (text) => {
      details = text;
    },
    add: (n = 1) => {
      count += n;
    },
    get count() {
      return count;
    },
  };
  const started = performance.now();
  const finish = (outcome: 'held' | 'failed', failure?: string) =>
    writeRecord({
      ...test,
      file: relative(root, fileURLToPath(test.file)),
      cases: count,
      ...(details === undefined ? {} : { details }),
      outcome,
      ...(failure === undefined ? {} : { failure }),
      durationMs: Math.round(performance.now() - started),
      ranAt: new Date().toISOString(),
    });
  let result: T;
  try {
    result = await body(counter);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finish('failed', message.split('\n')[0]?.slice(0, 200) ?? 'failed');
    throw error;
  }
  await finish('held');
  return result;
}

async function writeRecord(record: ReliabilityRecord): Promise<void> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(record.id)) {
    throw new Error(`reliability record id "${record.id}" must be lowercase words and hyphens`);
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeAtomically(join(RESULTS_DIR, `${record.id}.json`), toJson(record));
  await writeReliabilityDoc();
}

/** Flat records only: Biome formats such JSON exactly as JSON.stringify writes it. */
function toJson(record: ReliabilityRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Every stored record. */
export async function readRecords(): Promise<ReliabilityRecord[]> {
  const names = (await readdir(RESULTS_DIR).catch(() => [])).filter((n) => n.endsWith('.json'));
  const records = await Promise.all(
    names.map(
      async (name) =>
        JSON.parse(await readFile(join(RESULTS_DIR, name), 'utf8')) as ReliabilityRecord,
    ),
  );
  return records;
}

/**
 * Renders the document from the records and writes it; test files finish in parallel, so it
 * renders again until what is on disk is what the records on disk make (a writer that read the
 * records before another one's landed is overwritten by that one, which checks after it).
 */
export async function writeReliabilityDoc(): Promise<string> {
  for (let round = 0; round < 20; round++) {
    const wanted = renderReliabilityDoc(await readRecords());
    const current = await readFile(RELIABILITY_DOC, 'utf8').catch(() => '');
    if (current === wanted) return wanted;
    await writeAtomically(RELIABILITY_DOC, wanted);
  }
  throw new Error('docs/reliability.md kept changing under its writers');
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
