// `advisor tax --transactions FILE [--accounts FILE] [--as-of DATE] [--prices FILE] [--securities FILE]
//  [--bracket R] [--long-term-rate R] [--json]`: realized gains with wash-sale disallowances, open lots as of a
// date, and tax-loss harvest candidates (CONTRACTS section 3). Money in JSON is decimal, rounded to cents; `basis`
// is the total basis of the lot or sale and includes wash-sale adjustments. Without --prices, harvest candidates
// are valued at each symbol's last transaction price on or before the as-of date (said on stderr).
// Without --securities there is no TLH group to pick replacements from (replacement is null).
import type { Command } from 'commander';
import type { IsoDate } from '@aw/domain';
import { dayNumber } from '@aw/engine/returns';
import { buildTaxLedger, harvestScan, longTermRateFor, TaxLedgerError, } from '@aw/engine/tax';
import { CliInputError, numberOption } from '../errors.ts';
import { formatTable, money, moneyText, printJson, type Io } from '../output.ts';
import { readPrices, readSecurityGroups, readTransactionsAndAccounts } from '../readers.ts';

export interface TaxOptions {
  transactions: string;
  accounts?: string;
  asOf?: string;
  prices?: string;
  securities?: string;
  bracket: string;
  longTermRate?: string;
  json?: boolean;
}

export const DEFAULT_BRACKET = 0.24;

export interface TaxOutput {
  asOf: IsoDate;
  realized: {
    date: string; account: string; symbol: string; quantity: number; proceeds: number; basis: number; gain: number;
    term: 'short' | 'long'; washSaleDisallowed: number; washSalePermanent: number; lotId: string; acquired: string; holdingPeriodStart: string;
  }[];
  lots: {
    account: string; symbol: string; quantity: number; acquired: string; basis: number; washSaleAdjustment: number;
    holdingPeriodStart: string; id: string; household: string;
  }[];
  harvest: {
    account: string; symbol: string; quantity: number; unrealizedLoss: number; washSaleBlockedUntil: string | null;
    replacement: string | null; household: string; marketValue: number; shortTermLoss: number; longTermLoss: number;
    estimatedTaxSaved: number; noRepurchaseThrough: string; replacements: string[]; lotIds: string[];
  }[];
  rates: { bracket: number; longTermRate: number; priceSource: 'prices' | 'transactions' };
}

function checkDate(name: string, value: string): IsoDate {
  try {
    dayNumber(value);
  } catch {
    throw new CliInputError(`${name}: expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

export async function taxCommand(opts: TaxOptions, io: Io): Promise<TaxOutput> {
  const bracket = numberOption('--bracket', opts.bracket, (x) => x >= 0 && x < 1, 'a rate from 0 to 1, e.g. 0.32');
  const ltRate = opts.longTermRate === undefined ? longTermRateFor(bracket)
    : numberOption('--long-term-rate', opts.longTermRate, (x) => x >= 0 && x < 1, 'a rate from 0 to 1, e.g. 0.15');
  const asOfOpt = opts.asOf === undefined ? undefined : checkDate('--as-of', opts.asOf);
  const { transactions: txs, accounts } = await readTransactionsAndAccounts(opts.transactions, opts.accounts);
  const prices = opts.prices ? await readPrices(opts.prices) : undefined;
  const groups = opts.securities ? await readSecurityGroups(opts.securities) : undefined;

  let asOf = asOfOpt;
  if (asOf === undefined) {
    const lastTx = txs.reduce((m, t) => (t.date > m ? t.date : m), '0000-00-00');
    const lastPrice = prices?.dates.length ? prices.dates[prices.dates.length - 1]! : '0000-00-00';
    asOf = lastTx > lastPrice ? lastTx : lastPrice;
    if (asOf === '0000-00-00') throw new CliInputError(`${opts.transactions}: no transactions`);
  }

  io.stderr(`advisor tax: ${txs.length} transactions, ${accounts.length} accounts, as of ${asOf}\n`);
  let ledger: ReturnType<typeof buildTaxLedger>;
  try {
    ledger = buildTaxLedger({ transactions: txs, accounts, asOf });
  } catch (e) {
    if (!(e instanceof TaxLedgerError)) throw e;
    const line = /^L(\d+)$/.exec(e.transaction.id ?? '')?.[1];
    throw new CliInputError(`${opts.transactions}${line ? `:${line}` : ''}: ${e.message}`);
  }

  // Latest price per symbol on or before asOf.
  const latest = new Map<string, number>();
  let priceSource: 'prices' | 'transactions' = 'prices';
  if (prices) {
    const n = prices.symbols.length;
    for (let d = 0; d < prices.dates.length && prices.dates[d]! <= asOf; d++) {
      for (let s = 0; s < n; s++) {
        const c = prices.closes[d * n + s]!;
        if (!Number.isNaN(c)) latest.set(prices.symbols[s]!, c);
      }
    }
  } else {
    priceSource = 'transactions';
    for (const t of txs) if ((t.type === 'buy' || t.type === 'sell') && t.date <= asOf) latest.set(t.symbol, t.price);
    io.stderr('advisor tax: no --prices given: harvest candidates are valued at each symbol\'s last transaction price\n');
  }
  const households = [...new Set(accounts.map((a) => a.householdId))].map((id) => ({ id, taxBracket: bracket, longTermRate: ltRate }));
  const lossSales = ledger.realized.filter((r) => r.proceedsCents < r.basisCents).map((r) => ({ householdId: r.householdId, symbol: r.symbol, date: r.date }));
  const scan = harvestScan({ asOf, households, accounts, lots: ledger.lots, prices: latest, tlhGroups: groups, recentLossSales: lossSales });
  const unpriced = new Set(ledger.lots.filter((l) => !latest.has(l.symbol)).map((l) => l.symbol));
  if (unpriced.size) io.stderr(`advisor tax: no price for ${[...unpriced].sort().join(', ')}: not scanned for harvesting\n`);

  const out: TaxOutput = {
    asOf,
    realized: ledger.realized.map((r) => ({
      date: r.date, account: r.accountId, symbol: r.symbol, quantity: r.quantity, proceeds: money(r.proceedsCents), basis: money(r.basisCents),
      gain: money(r.gainCents), term: r.term, washSaleDisallowed: money(r.washSaleDisallowedCents), washSalePermanent: money(r.washSalePermanentCents),
      lotId: r.lotId, acquired: r.acquiredDate, holdingPeriodStart: r.holdingPeriodStart,
    })),
    lots: ledger.lots.map((l) => ({
      account: l.accountId, symbol: l.symbol, quantity: l.quantity, acquired: l.acquiredDate, basis: money(l.costBasisCents),
      washSaleAdjustment: money(l.washSaleAdjustmentCents), holdingPeriodStart: l.holdingPeriodStart, id: l.id, household: l.householdId,
    })),
    harvest: scan.candidates.map((c) => ({
      account: c.accountId, symbol: c.symbol, quantity: c.quantity, unrealizedLoss: money(c.unrealizedLossCents),
      washSaleBlockedUntil: c.washSaleBlockedUntil, replacement: c.replacement, household: c.householdId, marketValue: money(c.marketValueCents),
      shortTermLoss: money(c.shortTermLossCents), longTermLoss: money(c.longTermLossCents), estimatedTaxSaved: money(c.estimatedTaxSavedCents),
      noRepurchaseThrough: c.noRepurchaseThrough, replacements: c.replacements, lotIds: c.lotIds,
    })),
    rates: { bracket, longTermRate: ltRate, priceSource },
  };
  if (opts.json) printJson(io, out);
  else printTaxTables(io, out, ledger.realized.map((r) => r.gainCents), scan.totalTaxSavedCents);
  return out;
}

function printTaxTables(io: Io, out: TaxOutput, gainsCents: number[], savedCents: number): void {
  const c = (x: number): string => moneyText(Math.round(x * 100));
  io.stdout(`Realized gains (taxable accounts), as of ${out.asOf}\n`);
  io.stdout(formatTable(['date', 'account', 'symbol', 'qty', 'proceeds', 'basis', 'gain', 'term', 'wash disallowed'],
    out.realized.map((r) => [r.date, r.account, r.symbol, r.quantity, c(r.proceeds), c(r.basis), c(r.gain), r.term,
      r.washSaleDisallowed ? c(r.washSaleDisallowed) + (r.washSalePermanent ? ` (${c(r.washSalePermanent)} lost: IRA)` : '') : '']),
  ));
  io.stdout(`total recognized gain: ${moneyText(gainsCents.reduce((a, b) => a + b, 0))}\n\nOpen lots\n`);
  io.stdout(formatTable(['account', 'symbol', 'qty', 'acquired', 'holding from', 'basis', 'wash adj.'],
    out.lots.map((l) => [l.account, l.symbol, l.quantity, l.acquired, l.holdingPeriodStart, c(l.basis), l.washSaleAdjustment ? c(l.washSaleAdjustment) : ''])));
  io.stdout(`\nHarvest candidates (bracket ${(out.rates.bracket * 100).toFixed(0)}%, long-term ${(out.rates.longTermRate * 100).toFixed(0)}%)\n`);
  io.stdout(formatTable(['account', 'symbol', 'qty', 'loss', 'est. tax saved', 'blocked until', 'replacement'],
    out.harvest.map((h) => [h.account, h.symbol, h.quantity, c(h.unrealizedLoss), c(h.estimatedTaxSaved), h.washSaleBlockedUntil ?? '', h.replacement ?? ''])));
  io.stdout(`estimated tax saved by harvesting all: ${moneyText(savedCents)}\n`);
}

export function registerTaxCommand(program: Command, io: Io): void {
  program.command('tax')
    .description('realized gains with wash sales, open lots, and tax-loss harvest candidates')
    .requiredOption('--transactions <file>', 'transactions CSV: date,account,symbol,type,quantity,price[,fees,currency,lot_method]')
    .option('--accounts <file>', 'accounts CSV: account,household,type (taxable, ira, roth_ira, 401k)')
    .option('--as-of <date>', 'open lots and harvest as of this date (default: the last transaction or price date)')
    .option('--prices <file>', 'closes CSV (wide or long) to value harvest candidates')
    .option('--securities <file>', 'securities CSV: symbol,tlh_group (replacement candidates share a group)')
    .option('--bracket <rate>', 'household marginal rate on short-term gains', String(DEFAULT_BRACKET))
    .option('--long-term-rate <rate>', 'rate on long-term gains (default: implied by the bracket: 0/15/20%)')
    .option('--json', 'print JSON to stdout')
    .action(async (opts: TaxOptions) => { await taxCommand(opts, io); });
}
