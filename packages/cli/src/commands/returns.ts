// `advisor returns --values FILE [--json]`: time-weighted return (chain-linked, flows at the end of their date),
// its ACT/365 annualization, and the money-weighted return (XIRR) of a value-series file (CONTRACTS section 2).
import type { Command } from 'commander';
import { annualize, daysBetween, IrrNoRootError, moneyWeightedReturn, twr } from '@aw/engine/returns';
import { formatTable, pct, printJson, type Io } from '../output.ts';
import { readValues } from '../readers.ts';

export interface ReturnsOptions { values: string; json?: boolean }

export interface ReturnsOutput {
  twr: number;
  twrAnnualized: number;
  /** Null (with a message on stderr) when no rate solves the money-weighted equation. */
  irr: number | null;
  startDate: string;
  endDate: string;
  days: number;
}

export async function returnsCommand(opts: ReturnsOptions, io: Io): Promise<ReturnsOutput> {
  const series = await readValues(opts.values);
  const total = twr(series);
  const startDate = series[0]!.date, endDate = series[series.length - 1]!.date;
  const days = daysBetween(startDate, endDate);
  let irr: number | null = null;
  try {
    irr = moneyWeightedReturn(series);
  } catch (e) {
    if (!(e instanceof IrrNoRootError)) throw e;
    io.stderr(`advisor returns: ${e.message}; irr is null\n`);
  }
  const out: ReturnsOutput = { twr: total, twrAnnualized: annualize(total, days), irr, startDate, endDate, days };
  if (opts.json) printJson(io, out);
  else {
    io.stdout(`Returns of ${opts.values}: ${out.startDate} to ${out.endDate} (${out.days} days, ${series.length} points)\n\n`);
    io.stdout(formatTable(['measure', 'value'], [
      ['time-weighted return (cumulative)', pct(out.twr)],
      ['time-weighted return (annualized, ACT/365)', pct(out.twrAnnualized)],
      ['money-weighted return (XIRR, annual)', pct(out.irr)],
    ]));
  }
  return out;
}

export function registerReturnsCommand(program: Command, io: Io): void {
  program.command('returns')
    .description('time- and money-weighted returns of a value series (date,value,flow)')
    .requiredOption('--values <file>', 'value-series CSV: date,value,flow (value before the day\'s flow)')
    .option('--json', 'print JSON to stdout')
    .action(async (opts: ReturnsOptions) => { await returnsCommand(opts, io); });
}
