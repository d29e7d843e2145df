// The replication feature: every book collection of the server's RxDB replicated to authorized desktops.
//   GET  /api/v1/replication/:collection/:schemaVersion/pull?lwt=&id=&limit=  → {"documents","checkpoint"}
//   POST /api/v1/replication/:collection/:schemaVersion/push  [{newDocumentState, assumedMasterState}] → conflicts
//   WS   /api/v1/replication/stream  (see stream.ts)
// Access control lives in access.ts; the protocol operations in pull-push.ts.
import { Router, type RequestHandler } from 'express';
import type { AuthUser, FeatureFactory } from '../context.ts';
import type { TokenCheck } from '../auth/sessions.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import type { ServerMetrics } from '../http/metrics.ts';
import { sendJson } from '../http/compressed-json.ts';
import type { ServerBook } from '../db/book-db.ts';
import { mayReplicate } from './access.ts';
import { replicatedCollections, type Checkpoint, type ReplicatedCollection } from './book-collections.ts';
import { MAX_PULL_LIMIT, pullChanges, pushChanges } from './pull-push.ts';
import { createReplicationStream } from './stream.ts';

export const REPLICATION_STREAM_PATH = '/api/v1/replication/stream';
const DEFAULT_PULL_LIMIT = 1000;

function parsePullQuery(q: Record<string, unknown>): { since: Checkpoint | undefined; limit: number } {
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v) as string | undefined;
  const lwtRaw = one(q.lwt);
  const id = one(q.id) ?? '';
  const limitRaw = one(q.limit);
  const lwt = lwtRaw === undefined || lwtRaw === '' ? 0 : Number(lwtRaw);
  if (!Number.isFinite(lwt) || lwt < 0) throw badRequest(`lwt must be a non-negative number (got "${lwtRaw}")`, 'invalid_query');
  const limit = limitRaw === undefined || limitRaw === '' ? DEFAULT_PULL_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
    throw badRequest(`limit must be an integer from 1 to ${MAX_PULL_LIMIT} (got "${limitRaw}")`, 'invalid_query');
  }
  if (typeof id !== 'string' || id.length > 200) throw badRequest('id must be a document id', 'invalid_query');
  return { since: lwt === 0 && id === '' ? undefined : { id, lwt }, limit };
}

export function createReplicationFeature(
  book: ServerBook,
  metrics: ServerMetrics,
  checkToken: (token: string, renew: boolean) => Promise<TokenCheck>,
): FeatureFactory {
  return (ctx) => {
    const collections = replicatedCollections(book.db);
    const stream = createReplicationStream({ collections, checkToken, log: ctx.log, metrics });

    /** Resolves :collection/:schemaVersion and checks the caller's role; sets res.locals.rc. */
    const resolveCollection: RequestHandler = (req, res, next) => {
      const user = res.locals.user as AuthUser;
      if (!mayReplicate(user)) throw new HttpError(403, 'forbidden', `role ${user.role} may not replicate book data`);
      const name = String(req.params.collection);
      const rc = collections.get(name);
      if (!rc) throw notFound(`unknown collection "${name}" (known: ${[...collections.keys()].join(', ')})`, 'unknown_collection');
      const version = String(req.params.schemaVersion);
      if (!/^\d+$/.test(version)) throw badRequest(`schema version must be an integer (got "${version}")`, 'invalid_schema_version');
      if (Number(version) !== rc.schemaVersion) {
        throw badRequest(
          `collection ${name} is at schema version ${rc.schemaVersion} on this server, the client sent ${version}: update the client (or the server)`,
          'schema_version_mismatch',
        );
      }
      res.locals.rc = rc;
      next();
    };

    const router = Router();
    const base = '/api/v1/replication/:collection/:schemaVersion';
    router.get(`${base}/pull`, ctx.auth.requireAuth, resolveCollection, async (req, res) => {
      const rc = res.locals.rc as ReplicatedCollection;
      const { since, limit } = parsePullQuery(req.query as Record<string, unknown>);
      const result = await pullChanges(rc, res.locals.user as AuthUser, since, limit);
      metrics.replicationPulls.inc({ collection: rc.name });
      metrics.replicationPulledDocs.inc({ collection: rc.name }, result.documents.length);
      await sendJson(req, res, result);
    });
    router.post(`${base}/push`, ctx.auth.requireAuth, resolveCollection, async (req, res) => {
      const rc = res.locals.rc as ReplicatedCollection;
      try {
        const { conflicts, written } = await pushChanges(rc, res.locals.user as AuthUser, req.body);
        metrics.replicationPushes.inc({ collection: rc.name, outcome: conflicts.length ? 'conflict' : 'ok' });
        metrics.replicationPushedDocs.inc({ collection: rc.name }, written);
        res.json(conflicts);
      } catch (err) {
        metrics.replicationPushes.inc({ collection: rc.name, outcome: 'rejected' });
        throw err;
      }
    });

    return {
      name: 'replication',
      router,
      wsRoutes: { [REPLICATION_STREAM_PATH]: (ws) => stream.handle(ws) },
      start: async () => stream.start(),
      stop: () => stream.stop(),
    };
  };
}
