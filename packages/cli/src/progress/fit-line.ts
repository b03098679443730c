/** A piece of a line and how to style it once it has been cut to size. */
export type LinePart = readonly [text: string, style?: (text: string) => string];

/**
 * Joins parts into a line of at most `width` characters, cutting the last part that does not
 * fit with `…`. Cutting happens before styling, so escape codes are never split or counted.
 * Characters are counted as code points: step ids and our symbols are one cell wide each.
 */
export function fitLine(parts: readonly LinePart[], width: number): string {
  let room = width;
  let line = '';
  for (const [text, style] of parts) {
    if (room <= 0) break;
    const chars = [...text];
    const cut = chars.length > room ? `${chars.slice(0, Math.max(0, room - 1)).join('')}…` : text;
    room -= Math.min(chars.length, room);
    line += style ? style(cut) : cut;
  }
  return line;
}
