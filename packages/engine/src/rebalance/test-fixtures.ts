// Small builders for rebalance tests (not used by production code).
import type { Account, Model, Security, TaxLot } from '@aw/domain';
import type { RebalanceMarket } from './options.ts';

export function account(over: Partial<Account> = {}): Account {
  return {
    id: 'a1', teamId: 'demo', householdId: 'h1', name: 'Account', type: 'taxable', custodian: 'Sim', currency: 'USD',
    modelId: 'm1', cashCents: 0, accountRevision: 7, updatedAt: 0, ...over,
  };
}

let lotSeq = 0;
export function lot(symbol: string, quantity: number, costBasisCents: number, acquiredDate: string, over: Partial<TaxLot> = {}): TaxLot {
  lotSeq++;
  return {
    id: over.id ?? `lot-${String(lotSeq).padStart(4, '0')}`, teamId: 'demo', householdId: 'h1', accountId: 'a1', symbol, quantity, costBasisCents,
    acquiredDate, holdingPeriodStart: acquiredDate, washSaleAdjustmentCents: 0, updatedAt: 0, ...over,
  };
}

export function security(symbol: string, assetClass: string, tlhGroup = ''): Security {
  return { symbol, name: symbol, assetClass, sector: '', currency: 'USD', tlhGroup, updatedAt: 0 };
}

export function model(id: string, targets: Array<[key: string, weight: number, symbols: string[]]>, bandAbs = 0.05, bandRel = 0.25): Model {
  return {
    id, teamId: '', name: id, riskProfile: 'moderate', bandAbs, bandRel, updatedAt: 0,
    targets: targets.map(([key, weight, symbols]) => ({ kind: 'assetClass' as const, key, weight, symbols })),
  };
}

export function market(securities: Security[], prices: Record<string, number>, models: Model[]): RebalanceMarket {
  return {
    securities: new Map(securities.map((s) => [s.symbol, s])),
    prices: new Map(Object.entries(prices)),
    models: new Map(models.map((m) => [m.id, m])),
  };
}
