// Asset location for a household: the household's blended targets (each account's model weighted by the account's
// value) are placed across its accounts so that tax-inefficient classes (bonds, REITs) sit in tax-deferred
// accounts (IRA, 401(k)), high-growth classes in the Roth, and tax-efficient equity in taxable accounts.
// Each account keeps its own cash target, and its drift and bands are then measured against its placed targets.
// Placement is greedy and deterministic: pass k places every class's
// remaining amount into its k-th preferred kind of account (classes whose first choice is tax-deferred go first,
// then Roth-first, then taxable-first; larger amounts first; accounts by id).
// Units: money integer cents (as floats while placing); weights fractions of each account's value.
import type { Account, AccountType, Model, ModelTarget } from '@aw/domain';
import { CASH_KEY } from './drift.ts';
import type { LocationKind, RebalanceMarket } from './options.ts';

export const locationKindOf = (t: AccountType): LocationKind => (t === 'taxable' ? 'taxable' : t === 'roth_ira' ? 'roth' : 'deferred');

const ORDERS: Record<LocationKind, LocationKind[]> = {
  deferred: ['deferred', 'taxable', 'roth'],
  roth: ['roth', 'taxable', 'deferred'],
  taxable: ['taxable', 'roth', 'deferred'],
};

/** Default first choice for an asset-class name (case-insensitive keywords). */
export function defaultLocation(assetClass: string): LocationKind {
  const c = assetClass.toLowerCase();
  if (/muni/.test(c)) return 'taxable';
  if (/bond|fixed|treasur|income|tips|credit|aggregate|reit|real estate|high.?yield|commodit/.test(c)) return 'deferred';
  if (/small|emerging|growth|tech|venture|frontier/.test(c)) return 'roth';
  return 'taxable';
}

export interface LocatedAccount { account: Account; valueCents: number; model: Model | undefined }

/** Per account: a model whose targets are this account's share of the household's placed targets. */
export function locateHousehold(entries: readonly LocatedAccount[], market: RebalanceMarket, prefs: Readonly<Record<string, LocationKind>>): Map<string, Model> {
  const out = new Map<string, Model>();
  const placed = entries.filter((e) => e.model && e.valueCents > 0).sort((a, b) => (a.account.id < b.account.id ? -1 : 1));
  if (placed.length < 2) { for (const e of placed) out.set(e.account.id, e.model!); return out; }
  const capacity = new Map<string, number>();
  const totals = new Map<string, { target: ModelTarget; cents: number; kind: LocationKind }>();
  for (const e of placed) {
    const cashW = e.model!.targets.filter((t) => t.key === CASH_KEY).reduce((s, t) => s + t.weight, 0);
    capacity.set(e.account.id, e.valueCents * (1 - cashW));
    for (const t of e.model!.targets) {
      if (t.key === CASH_KEY) continue;
      const id = `${t.kind}:${t.key}`;
      const cls = t.kind === 'security' ? market.securities.get(t.key)?.assetClass ?? t.key : t.key;
      const prev = totals.get(id);
      if (prev) prev.cents += e.valueCents * t.weight;
      else totals.set(id, { target: t, cents: e.valueCents * t.weight, kind: prefs[cls] ?? defaultLocation(cls) });
    }
  }
  const rank: Record<LocationKind, number> = { deferred: 0, roth: 1, taxable: 2 };
  const keys = [...totals.entries()].sort((a, b) => rank[a[1].kind] - rank[b[1].kind] || b[1].cents - a[1].cents || (a[0] < b[0] ? -1 : 1));
  const remaining = new Map(keys.map(([id, v]) => [id, v.cents]));
  const alloc = new Map<string, Map<string, number>>(placed.map((e) => [e.account.id, new Map()]));
  for (let pass = 0; pass < 3; pass++) {
    for (const [id, v] of keys) {
      const kind = ORDERS[v.kind][pass]!;
      for (const e of placed) {
        let rest = remaining.get(id)!;
        if (rest <= 0) break;
        if (locationKindOf(e.account.type) !== kind) continue;
        const cap = capacity.get(e.account.id)!;
        const take = Math.min(rest, cap);
        if (take <= 0) continue;
        capacity.set(e.account.id, cap - take);
        rest -= take;
        remaining.set(id, rest);
        const m = alloc.get(e.account.id)!;
        m.set(id, (m.get(id) ?? 0) + take);
      }
    }
  }
  for (const e of placed) {
    const m = alloc.get(e.account.id)!;
    const targets: ModelTarget[] = keys.map(([id, v]) => ({ ...v.target, weight: (m.get(id) ?? 0) / e.valueCents }));
    const cash = e.model!.targets.find((t) => t.key === CASH_KEY);
    const cashW = e.model!.targets.filter((t) => t.key === CASH_KEY).reduce((s, t) => s + t.weight, 0);
    // Rounding left-overs (capacity not filled) stay as cash so weights sum to 1.
    const used = targets.reduce((s, t) => s + t.weight, 0);
    const cashWeight = Math.max(0, 1 - used);
    if (cash || cashWeight > 1e-12 || cashW > 0) targets.push({ kind: cash?.kind ?? 'assetClass', key: CASH_KEY, weight: cashWeight, symbols: [] });
    out.set(e.account.id, { ...e.model!, targets });
  }
  return out;
}
