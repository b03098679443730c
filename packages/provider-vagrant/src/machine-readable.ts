/**
 * One line of `vagrant --machine-readable` output: `timestamp,target,type,data...`.
 *
 * Vagrant writes every record on one line and escapes what would break that: a comma in a
 * field becomes `%!(VAGRANT_COMMA)`, a newline `\n` and a carriage return `\r` (backslash and
 * letter). It does not escape backslashes, so a backslash followed by `n` in the original text
 * reads back as a newline; no field we rely on contains one.
 */
export interface VagrantRecord {
  /** When Vagrant wrote the record, in seconds since the epoch. */
  readonly timestamp: number;
  /** The machine the record is about; empty for records about the whole run. */
  readonly target: string;
  /** What the record says: `state`, `provider-name`, `ui`, `action`, `error-exit`, … */
  readonly type: string;
  /** The record's fields after the type, unescaped. */
  readonly data: readonly string[];
}

/** Lines of machine-readable output, split into records and everything else. */
export interface ParsedMachineReadable {
  /** The records, in output order. */
  readonly records: VagrantRecord[];
  /** Non-empty lines that are not records (plugin warnings, Ruby warnings), in output order. */
  readonly otherLines: string[];
}

const ESCAPES = /%!\(VAGRANT_COMMA\)|\\n|\\r/g;
const UNESCAPED: Readonly<Record<string, string>> = {
  '%!(VAGRANT_COMMA)': ',',
  '\\n': '\n',
  '\\r': '\r',
};

/** Undoes Vagrant's escaping of one field. */
export function unescapeMachineReadable(field: string): string {
  return field.replace(ESCAPES, (escaped) => UNESCAPED[escaped] ?? escaped);
}

/**
 * Parses one line. Escaped commas contain no comma, so splitting on commas first and then
 * unescaping each field is exact.
 *
 * @returns the record, or `undefined` when the line is not one (no numeric timestamp, fewer
 *   than three fields)
 */
export function parseMachineReadableLine(line: string): VagrantRecord | undefined {
  const fields = line.replace(/\r$/, '').split(',');
  const [timestamp, target, type, ...data] = fields;
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return undefined;
  if (target === undefined || type === undefined || type === '') return undefined;
  return {
    timestamp: Number(timestamp),
    target: unescapeMachineReadable(target),
    type,
    data: data.map(unescapeMachineReadable),
  };
}

/** Parses a whole output. Blank lines are dropped; anything else that is not a record is kept apart. */
export function parseMachineReadable(text: string): ParsedMachineReadable {
  const records: VagrantRecord[] = [];
  const otherLines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const record = parseMachineReadableLine(line);
    if (record === undefined) otherLines.push(line);
    else records.push(record);
  }
  return { records, otherLines };
}

/** Vagrant's own error from `error-exit` records: its error class and its message. */
export interface VagrantErrorExit {
  /** Vagrant's error class, for example `Vagrant::Errors::ConfigInvalid`. */
  readonly errorType: string;
  /** The message Vagrant shows the user, newlines restored. */
  readonly message: string;
}

/** The `error-exit` records of an output, in order (Vagrant writes at most one per run). */
export function errorExits(records: readonly VagrantRecord[]): VagrantErrorExit[] {
  return records
    .filter((record) => record.type === 'error-exit')
    .map((record) => {
      const [errorType = '', ...message] = record.data;
      return { errorType, message: message.join(',') };
    });
}
