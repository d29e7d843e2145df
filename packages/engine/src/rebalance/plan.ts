// Planning: how many cents each bucket of an account should hold after the rebalance.
// 1. Nothing trades unless some bucket (cash included) is out of band (see drift.ts for the band rule).
// 2. Out-of-band buckets go to their target ('target' goal) or to 80% of their band on their side ('band' goal),
//    never below their held-away part, never up when nothing may be bought, never down in buy-only mode, never up
//    in sell-only mode. In-band buckets keep their value.
// 3. Cash: the goal is its target when cash is out of band, and never below the reserve. When the planned trades
//    leave too little cash: buys are cut, then in-band overweight buckets sell to target, then buckets sell to the
//    bottom of their band, then to their held-away floor. When they leave cash above its band: the excess buys
//    underweight buckets up to their targets.
// Units: integer-ish cents as floats (rounded when shares are chosen); weights fractions of the account value.
import { money, pp } from './format.ts';
import { isOutOfBand, type Bucket } from './drift.ts';
import { chooseBuySymbol, type HouseholdState } from './context.ts';

export const BAND_GOAL_FRACTION = 0.8;

export interface Plan {
  triggered: boolean;
  outBefore: boolean[];
  desiredCents: number[];
  /** Cash floor (reserve) in cents. */
  floorCents: number;
  /** Cash the plan ends with (buys never take cash below it, nor below the floor). */
  cashPlannedCents: number;
  /** Extra reasons a bucket sells or buys (beyond its drift), for the trade explanations. */
  why: string[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function describeDrift(b: Bucket, weight: number): string {
  return `${b.kind === 'unmodeled' ? `${b.key} (not in the model)` : b.key} is ${pct(weight)} vs target ${pct(b.targetWeight)} (${pp(weight - b.targetWeight)}, band ±${(b.band * 100).toFixed(1)}pp)`;
}

export function planAccount(buckets: Bucket[], totalCents: number, state: HouseholdState, currency: string): Plan {
  const { opts } = state;
  const n = buckets.length;
  const cashIdx = n - 1;
  const V = totalCents;
  const cur = buckets.map((b) => b.currentCents);
  const floor = V > 0 ? Math.max(opts.cashReserveCents, opts.cashReservePct * V) : opts.cashReserveCents;
  const outBefore = buckets.map((b, i) => V > 0 && isOutOfBand(cur[i]! / V, b.targetWeight, b.band));
  const why = buckets.map(() => '');
  const desired = [...cur];
  const belowFloor = cur[cashIdx]! < floor - 0.5;
  if (!(V > 0) || (!outBefore.some(Boolean) && !belowFloor)) return { triggered: false, outBefore, desiredCents: desired, floorCents: floor, cashPlannedCents: cur[cashIdx]!, why };

  const goalOf = (i: number): number => {
    const b = buckets[i]!;
    const t = b.targetWeight * V;
    if (opts.goal === 'target') return t;
    return t + Math.sign(cur[i]! - t) * BAND_GOAL_FRACTION * b.band * V;
  };
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < cashIdx; i++) {
    const b = buckets[i]!;
    lo.push(opts.mode === 'buy_only' ? cur[i]! : b.heldAwayCents);
    let canBuy = opts.mode !== 'sell_only';
    if (canBuy) {
      const choice = chooseBuySymbol(b, state, currency);
      canBuy = choice.symbol !== null;
      if (!canBuy && b.currentCents < b.targetWeight * V) b.notes.push(`nothing can be bought: ${choice.note}`);
    } else if (b.currentCents < b.targetWeight * V && outBefore[i]) b.notes.push('sell-only mode: no buys');
    hi.push(canBuy ? Infinity : cur[i]!);
    if (!outBefore[i]) continue;
    const g = goalOf(i);
    if (g < lo[i]!) b.notes.push(opts.mode === 'buy_only' ? 'buy-only mode: no sells' : `${money(b.heldAwayCents)} of it is held away (or quoted in another currency) and can't be sold`);
    desired[i] = Math.min(hi[i]!, Math.max(lo[i]!, g));
  }

  const cashBucket = buckets[cashIdx]!;
  const cashTargetGoal = outBefore[cashIdx] ? goalOf(cashIdx) : cur[cashIdx]!;
  const cashGoal = Math.max(cashTargetGoal, floor);
  const cashAfter = (): number => cur[cashIdx]! + desired.slice(0, cashIdx).reduce((s, d, i) => s + cur[i]! - d, 0);

  let need = cashGoal - cashAfter();
  if (need > 0.5) {
    const sellTier = (tierFloor: (i: number) => number, note: string): void => {
      if (need <= 0.5) return;
      const avail = desired.slice(0, cashIdx).map((d, i) => (d <= cur[i]! ? Math.max(0, d - tierFloor(i)) : 0));
      const total = avail.reduce((s, a) => s + a, 0);
      if (total <= 0) return;
      const take = Math.min(need, total);
      for (let i = 0; i < cashIdx; i++) {
        if (avail[i]! <= 0) continue;
        desired[i] = desired[i]! - (avail[i]! * take) / total;
        if (!why[i]!.includes(note)) why[i] = why[i] ? `${why[i]}; ${note}` : note;
      }
      need -= take;
    };
    const buyIdx = [...Array(cashIdx).keys()].filter((i) => desired[i]! > cur[i]!);
    // Tier 1: overweight buckets sell down toward their target to fund the buys and the cash goal.
    sellTier((i) => Math.max(lo[i]!, buckets[i]!.targetWeight * V), buyIdx.length ? 'sells toward target to fund the buys' : `sells to raise cash to ${money(Math.round(cashGoal))}`);
    // Tier 2: cut planned buys.
    const buys = buyIdx.reduce((s, i) => s + desired[i]! - cur[i]!, 0);
    if (need > 0.5 && buys > 0) {
      const cut = Math.min(need, buys);
      for (const i of buyIdx) {
        desired[i] = desired[i]! - ((desired[i]! - cur[i]!) * cut) / buys;
        buckets[i]!.notes.push(opts.mode === 'buy_only' ? 'buys limited to the cash available (buy-only mode: no sells)' : 'buys limited by the cash that sells can raise');
      }
      need -= cut;
    }
    // Tiers 3-4: the cash reserve/target still short: sell to the bottom of the band, then to the held-away floor.
    const raise = `sells to raise cash to ${money(Math.round(cashGoal))}${floor > 0 ? ` (reserve ${money(Math.round(floor))})` : ''}`;
    sellTier((i) => Math.max(lo[i]!, (buckets[i]!.targetWeight - buckets[i]!.band) * V), raise);
    sellTier((i) => lo[i]!, raise);
    if (need > 0.5) {
      cashBucket.notes.push(`${money(Math.round(need))} short of the cash ${cashGoal === floor ? 'reserve' : 'target'} ${money(Math.round(cashGoal))}: ${opts.mode === 'buy_only' ? 'buy-only mode: no sells' : 'nothing more can be sold'}`);
    }
  } else if (opts.mode !== 'sell_only') {
    const upper = outBefore[cashIdx] ? cashGoal : Math.max(floor, (cashBucket.targetWeight + cashBucket.band) * V);
    const after = cashAfter();
    if (after > upper + 0.5 || (outBefore[cashIdx] && after > cashGoal + 0.5)) {
      let excess = after - Math.max(floor, outBefore[cashIdx] ? cashGoal : cashBucket.targetWeight * V);
      const room = desired.slice(0, cashIdx).map((d, i) => Math.max(0, Math.min(hi[i]!, buckets[i]!.targetWeight * V) - d));
      const total = room.reduce((s, r) => s + r, 0);
      if (total > 0) {
        const take = Math.min(excess, total);
        for (let i = 0; i < cashIdx; i++) {
          if (room[i]! <= 0) continue;
          desired[i] = desired[i]! + (room[i]! * take) / total;
          if (!outBefore[i]) why[i] = why[i] ? `${why[i]}; invests excess cash` : 'invests excess cash';
        }
        excess -= take;
      }
      if (excess > 0.5) {
        const blockedNotes = buckets.slice(0, cashIdx).flatMap((b) => b.notes.filter((x) => x.startsWith('nothing can be bought')).map((x) => `${b.key}: ${x}`));
        cashBucket.notes.push(`${money(Math.round(excess))} of cash has no eligible buy${blockedNotes.length ? ` (${blockedNotes.join('; ')})` : ' (every bucket is at or above its target)'}`);
      }
    }
  } else if (outBefore[cashIdx] && cur[cashIdx]! > cashGoal) {
    cashBucket.notes.push('sell-only mode: cash above its band is not invested');
  }
  return { triggered: true, outBefore, desiredCents: desired, floorCents: floor, cashPlannedCents: cashAfter(), why };
}
