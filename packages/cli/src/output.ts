// CLI output: JSON to stdout (--json) or readable, aligned tables; progress and messages go to stderr.
// Money values in JSON are decimal numbers rounded to cents.
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: Io = {
  stdout: (t) => { process.stdout.write(t); },
  stderr: (t) => { process.stderr.write(t); },
};

export const printJson = (io: Io, value: unknown): void => io.stdout(JSON.stringify(value, null, 2) + '\n');

export type Cell = string | number | null;

/** An aligned text table; numbers are right-aligned. */
export function formatTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]?.length ?? 0)));
  const isNumber = (c: Cell): boolean => c === null || c === '' || typeof c === 'number' || /^[-+]?[\d,]*\.?\d+%?$/.test(c);
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => isNumber(r[i] ?? null)));
  const line = (cells: string[]): string => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n') + '\n';
}

export const money = (cents: number): number => Math.round(cents) / 100;
export const pct = (x: number | null, digits = 2): string => (x === null || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(digits)}%`);
export const moneyText = (cents: number): string => {
  const neg = cents < 0;
  const abs = Math.abs(Math.round(cents));
  return `${neg ? '-' : ''}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
};
