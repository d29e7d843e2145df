// A proposal as the review grid lists it: no trades (their count), no reasons. What reaches the UI thread for each
// row (~200 bytes instead of the full proposal's ~3 KB), from the proposals store and from draft packs.
import type { Proposal } from '@aw/domain';

export type ProposalListing = Pick<Proposal, 'id' | 'accountId' | 'householdId' | 'modelId' | 'status' | 'driftBefore' | 'driftAfter' |
  'buyCents' | 'sellCents' | 'estGainCents' | 'estTaxCents' | 'warnings' | 'createdAt'> & { tradeCount: number };

export function proposalListing(p: Proposal): ProposalListing {
  return {
    id: p.id, accountId: p.accountId, householdId: p.householdId, modelId: p.modelId, status: p.status, driftBefore: p.driftBefore,
    driftAfter: p.driftAfter, tradeCount: p.trades.length, buyCents: p.buyCents, sellCents: p.sellCents, estGainCents: p.estGainCents,
    estTaxCents: p.estTaxCents, warnings: [...p.warnings], createdAt: p.createdAt,
  };
}
