// File reading for the CLI: user files go through @aw/files' readers (all-or-nothing, errors name file, line and
// column) and are mapped to the engine's plain shapes. A file that cannot be read is bad input (exit 2).
import { readFile } from 'node:fs/promises';
import type { PriceMatrix } from '@aw/domain';
import type { LedgerTransaction, ValuePoint } from '@aw/engine/returns';
import { DEFAULT_HOUSEHOLD, type TaxAccount } from '@aw/engine/tax';
import { checkAccountsKnown, CsvImportError, defaultAccounts, readAccountsCsv, readGroupsCsv, readPricesCsv, readTransactionsCsv, readValueSeriesCsv } from '@aw/files';
import { CliInputError } from './errors.ts';

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new CliInputError(`${path}: ${why}`);
  }
}

/**
 * Transactions in file order plus their accounts (from the accounts file, every account used must be in it; else
 * each account is a taxable account of one household). `id` is `L<line>` so lots and messages point at the line.
 */
export async function readTransactionsAndAccounts(txPath: string, accountsPath?: string): Promise<{ transactions: LedgerTransaction[]; accounts: TaxAccount[] }> {
  const rows = readTransactionsCsv(await readText(txPath), txPath);
  let accountRows;
  if (accountsPath) {
    accountRows = readAccountsCsv(await readText(accountsPath), accountsPath);
    checkAccountsKnown(rows, accountRows, txPath);
  } else {
    accountRows = defaultAccounts(rows.map((r) => r.account), DEFAULT_HOUSEHOLD);
  }
  return {
    transactions: rows.map((r) => ({
      id: `L${r.line}`, date: r.date, accountId: r.account, type: r.type, symbol: r.symbol, quantity: r.quantity, price: r.price,
      amountCents: r.amountCents, feesCents: r.feesCents, currency: r.currency, lotMethod: r.lotMethod,
    })),
    accounts: accountRows.map((a) => ({ id: a.account, householdId: a.household, type: a.type })),
  };
}

export async function readPrices(path: string): Promise<PriceMatrix> {
  return readPricesCsv(await readText(path), path);
}

export async function readValues(path: string): Promise<ValuePoint[]> {
  return readValueSeriesCsv(await readText(path), path).map((p) => ({ date: p.date, value: p.value, flow: p.flow }));
}

/**
 * Securities file for replacements: `symbol,tlh_group` (header row; other columns ignored; empty group = none).
 * A small reader of our own: @aw/files has no reader for it. Cells may be quoted.
 */
export async function readSecurityGroups(path: string): Promise<Map<string, string>> {
  const lines = (await readText(path)).replace(/^\uFEFF/, '').split(/\r?\n/);
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cur = '', quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
      } else if (ch === '"' && cur === '') quoted = true;
      else if (ch === ',') { out.push(cur.trim()); cur = ''; } else cur += ch;
    }
    out.push(cur.trim());
    return out;
  };
  const header = split(lines[0] ?? '').map((h) => h.toLowerCase());
  const sym = header.indexOf('symbol'), grp = header.indexOf('tlh_group');
  if (sym < 0 || grp < 0) throw new CliInputError(`${path}:1: the header needs the columns symbol and tlh_group, got ${JSON.stringify(lines[0] ?? '')}`);
  const out = new Map<string, string>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = split(line);
    const symbol = (cells[sym] ?? '').toUpperCase();
    if (!/^[A-Z0-9.\-^=_]{1,32}$/.test(symbol)) throw new CliInputError(`${path}:${i + 2} column "symbol": not a symbol: ${JSON.stringify(cells[sym] ?? '')}`);
    if (out.has(symbol)) throw new CliInputError(`${path}:${i + 2} column "symbol": ${symbol} is listed twice`);
    out.set(symbol, cells[grp] ?? '');
  });
  return out;
}

/** Group name → member symbols from a `symbol,group` file; every symbol must be in the prices file. */
export async function readGroups(path: string, priced: readonly string[]): Promise<Map<string, string[]>> {
  const rows = readGroupsCsv(await readText(path), path);
  const known = new Set(priced);
  const unknown = rows.filter((r) => !known.has(r.symbol));
  if (unknown.length) {
    throw new CsvImportError(unknown.slice(0, 50).map((r) => ({ file: path, line: r.line, column: 'symbol', reason: `${r.symbol} is not in the prices file` })), unknown.length > 50);
  }
  const groups = new Map<string, string[]>();
  for (const r of rows) groups.set(r.group, [...(groups.get(r.group) ?? []), r.symbol]);
  return groups;
}
