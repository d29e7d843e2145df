// The server's default market set-up (what `createMarketFeature` mounts):
//   security master  = the book's `securities` collection, kept up to date as securities are added;
//   FX pairs         = @aw/demo's FX_PAIRS (EURUSD, GBPUSD, USDJPY, …);
//   held symbols     = distinct symbols of the book's lots (warmed into the cache at start);
//   demo mode        = first start also stores the demo market's daily closes of held symbols and FX (10 years) so
//                      history endpoints have data, and the simulated provider ticks (AW_MARKET_TICKS_PER_SEC, 200).
// Environment overrides: AW_MARKET_PROVIDER = none | simulated | replay:<csv file> | http:<vendor url>;
// AW_MARKET_INGEST_WORKER=1 parses ws ingest on a worker thread.
import { FX_PAIRS, generateMarket } from '@aw/demo';
import type { ServerContext } from '../context.ts';
import type { MarketOptions } from './index.ts';
import { createHttpPollProvider } from './providers/http-poll.ts';
import { createReplayProvider } from './providers/replay.ts';
import { createSimulatedProvider } from './providers/simulated.ts';
import { systemClock } from './types.ts';

/** Same seed as the demo book (sync-server/src/demo-seed.ts DEMO_SEED), so symbols and closes match the book. */
export const DEMO_MARKET_SEED = 42;

async function bookSymbols(ctx: ServerContext, collection: 'securities' | 'lots', field: 'symbol'): Promise<string[]> {
  const c = ctx.book?.collections?.[collection];
  if (!c) return [];
  const docs = await c.find().exec();
  return [...new Set(docs.map((d: { get(f: string): unknown }) => String(d.get(field))).filter(Boolean))] as string[];
}

export async function defaultMarketOptions(ctx: ServerContext, env: NodeJS.ProcessEnv = process.env): Promise<MarketOptions> {
  const securities = await bookSymbols(ctx, 'securities', 'symbol');
  const fxPairs = FX_PAIRS.map((p) => p.symbol);
  const held = await bookSymbols(ctx, 'lots', 'symbol');
  const heldSymbols = held.length ? held : securities;
  const choice = env.AW_MARKET_PROVIDER ?? (ctx.config.demo ? 'simulated' : 'none');
  const ticksPerSec = Number(env.AW_MARKET_TICKS_PER_SEC ?? 200);

  let provider: MarketOptions['provider'] = null;
  if (choice === 'simulated') {
    provider = (start) => {
      const fxStart = new Map(fxPairs.filter((p) => start.has(p)).map((p) => [p, start.get(p)!]));
      const eq = new Map(securities.map((s) => [s, start.get(s) ?? 100]));
      return createSimulatedProvider({ start: eq, fxStart, ticksPerSec, clock: systemClock });
    };
  } else if (choice.startsWith('replay:')) {
    provider = createReplayProvider({ file: choice.slice('replay:'.length), datesPerSec: Number(env.AW_MARKET_REPLAY_DATES_PER_SEC ?? 0) });
  } else if (choice.startsWith('http:') || choice.startsWith('https:')) {
    const url = choice.startsWith('http:http') ? choice.slice('http:'.length) : choice;
    provider = createHttpPollProvider({ url, symbols: heldSymbols, clock: systemClock, pollIntervalMs: Number(env.AW_MARKET_POLL_MS ?? 5_000) });
  } else if (choice !== 'none') {
    throw new Error(`AW_MARKET_PROVIDER=${choice}: expected none, simulated, replay:<csv file> or http:<vendor url>`);
  }

  return {
    securities,
    fxPairs,
    heldSymbols,
    provider,
    // AW_MARKET_INGEST_WORKER=1 parses ws ingest on a worker thread (pays off with cores to spare; see index.ts).
    ingest: { parseInWorker: env.AW_MARKET_INGEST_WORKER === '1' },
    // Generated only when the daily table is still empty (first demo start).
    dailyHistory: ctx.config.demo
      ? () => {
          const demo = generateMarket({ seed: DEMO_MARKET_SEED });
          return [demo.prices, demo.fx];
        }
      : undefined,
    watchSecurities: (add) => {
      const c = ctx.book?.collections?.securities;
      if (!c) return () => undefined;
      const sub = c.$.subscribe((ev: { documentData?: { symbol?: string } }) => {
        if (ev.documentData?.symbol) add([ev.documentData.symbol]);
      });
      return () => sub.unsubscribe();
    },
  };
}
