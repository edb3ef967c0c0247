/**
 * Plain text tables that read at 80 columns: columns marked `whole` (usernames, permission names) always show their
 * full text, the others wrap at word boundaries into the width left, and nothing is cut to "AIV…". Redirected output
 * (not a terminal) gets a fixed, sensible width instead of one endless line.
 */
export type TextColumn<K extends string> = {
  key: K;
  name: string;
  /** never wrapped or shortened: names a reader searches for */
  whole?: boolean;
};

/** Width used when stdout isn't a terminal (a file, a pipe, CI logs). */
export const REDIRECTED_WIDTH = 100;
const MIN_WRAPPED = 4;
const MAX_WORD = 16;
const GAP = '  ';
/** What a table cell may hold: text, a number or a flag; null and undefined show as nothing. */
export type Cell = string | number | boolean | null | undefined;

/** The terminal's width, or REDIRECTED_WIDTH when output is redirected. */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : REDIRECTED_WIDTH;
}

/** Splits text into lines of at most `width`, at spaces where possible (a longer word is broken). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Column widths: whole columns at their natural width; each other column gets its longest word (so words aren't
 * broken, up to MAX_WORD), then what is left goes to the columns with the most text.
 */
function widths<K extends string>(
  rows: Array<Record<K, Cell>>,
  columns: Array<TextColumn<K>>,
  width: number,
): number[] {
  const cells = (c: TextColumn<K>): string[] => [c.name, ...rows.map((r) => String(r[c.key] ?? ''))];
  const natural = columns.map((c) => Math.max(...cells(c).map((t) => t.length)));
  if (fits(natural, width)) return natural;
  const longestWord = columns.map((c, i) =>
    Math.min(
      natural[i],
      MAX_WORD,
      Math.max(
        MIN_WRAPPED,
        ...cells(c)
          .flatMap((t) => t.split(/\s+/))
          .map((w) => w.length),
      ),
    ),
  );
  const result = columns.map((c, i) => (c.whole ? natural[i] : longestWord[i]));
  let room = width - result.reduce((a, b) => a + b, 0) - GAP.length * (columns.length - 1);
  const wanting = columns.map((c, i) => (c.whole ? 0 : natural[i] - result[i]));
  const wanted = wanting.reduce((a, b) => a + b, 0);
  if (room > 0 && wanted > 0) {
    const extra = wanting.map((w) => Math.floor((w * room) / wanted));
    extra.forEach((e, i) => (result[i] += e));
    room -= extra.reduce((a, b) => a + b, 0);
  }
  return result;
}

const fits = (w: number[], width: number): boolean =>
  w.reduce((a, b) => a + b, 0) + GAP.length * (w.length - 1) <= width;

/**
 * The table as lines: a header, a rule, and each row (wrapped cells make a row several lines high). When the whole
 * columns leave too little room, each row's whole values go on a line of their own above the rest of the row.
 */
export function renderTable<K extends string>(
  rows: Array<Record<K, Cell>>,
  columns: Array<TextColumn<K>>,
  width = outputWidth(),
): string[] {
  const w = widths(rows, columns, width);
  if (fits(w, width) || !columns.some((c) => c.whole)) return flatTable(rows, columns, w);
  const whole = columns.filter((c) => c.whole);
  const rest = columns.filter((c) => !c.whole);
  const restWidths = widths(rows, rest, width - 2);
  const body = flatTable([], rest, restWidths);
  const rowLines = rows.map((r) => flatTable([r], rest, restWidths).slice(body.length));
  return [
    whole.map((c) => c.name).join(' / '),
    ...body.map((l) => `  ${l}`),
    ...rows.flatMap((r, i) => [
      whole.map((c) => String(r[c.key] ?? '')).join(' / '),
      ...rowLines[i].map((l) => `  ${l}`.trimEnd()),
    ]),
  ];
}

function flatTable<K extends string>(
  rows: Array<Record<K, Cell>>,
  columns: Array<TextColumn<K>>,
  w: number[],
): string[] {
  const line = (cells: string[][]): string[] => {
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, y) =>
      cells
        .map((c, x) => (c[y] ?? '').padEnd(w[x]))
        .join(GAP)
        .trimEnd(),
    );
  };
  const wrap = (value: Cell, i: number): string[] =>
    columns[i].whole ? [String(value ?? '')] : wrapText(String(value ?? ''), w[i]);
  return [
    ...line(columns.map((c, i) => wrap(c.name, i))),
    w.map((n) => '─'.repeat(n)).join(GAP),
    ...rows.flatMap((r) => line(columns.map((c, i) => wrap(r[c.key], i)))),
  ];
}

/**
 * Long explanations out of a table: each distinct text gets a number, the cell shows `[n]`, and `notes` lists them
 * below the table.
 */
export function footnotes(): { ref: (text: string) => string; notes: (width?: number) => string[] } {
  const texts: string[] = [];
  return {
    ref: (text: string): string => {
      if (!text) return '';
      let at = texts.indexOf(text);
      if (at < 0) at = texts.push(text) - 1;
      return `[${at + 1}]`;
    },
    notes: (width = outputWidth()): string[] =>
      texts.flatMap((t, i) =>
        wrapText(t, Math.max(width - 5, 20)).map((l, j) => `${j === 0 ? `[${i + 1}]`.padEnd(5) : '     '}${l}`),
      ),
  };
}
