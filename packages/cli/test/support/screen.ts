/** The escape character that starts every control sequence. */
export const ESC = '\u001b';

/** Matches one colour (SGR) sequence. */
export const colourSequence = new RegExp(`${ESC}\\[\\d+(;\\d+)*m`);

/**
 * What a terminal shows after receiving `output`: the handful of sequences the live progress
 * writes (cursor up, carriage return, erase to end of line and of screen), colours and
 * synchronised-output brackets dropped. The real-terminal test checks the same output in tmux;
 * this one lets unit tests read the screen between two writes.
 */
export function screenAfter(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let column = 0;
  const sequence = new RegExp(`${ESC}\\[(\\??)(\\d*)([A-Za-z])|\r|\n|[^${ESC}\r\n]`, 'gu');
  for (const match of output.matchAll(sequence)) {
    const [token, privateMode, count, command] = match;
    if (token === '\n') {
      row += 1;
      column = 0;
      lines[row] ??= '';
    } else if (token === '\r') {
      column = 0;
    } else if (command === undefined) {
      const line = (lines[row] ?? '').padEnd(column);
      lines[row] = line.slice(0, column) + token + line.slice(column + 1);
      column += 1;
    } else if (privateMode === '?' || command === 'm') {
      // Synchronised output and colours change nothing on the screen's text.
    } else if (command === 'A') {
      row = Math.max(0, row - Number(count || '1'));
    } else if (command === 'K') {
      lines[row] = (lines[row] ?? '').slice(0, column);
    } else if (command === 'J') {
      lines[row] = (lines[row] ?? '').slice(0, column);
      lines.length = row + 1;
    } else {
      throw new Error(`the screen model does not know ESC[${count}${command}`);
    }
  }
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}
