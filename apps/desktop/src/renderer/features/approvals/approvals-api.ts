// The sync server's approval endpoints as the inbox calls them (contract section 4), with the session's bearer
// token: the bulk approve / reject of one chunk of ids, and the batch trade blotter (CSV text).
import { requestJson, SyncHttpError } from '@aw/sync-client';
import type { BulkAnswer, PostChunk } from './bulk-decisions.ts';

export interface ApprovalsApi {
  postChunk: PostChunk;
  /** The blotter CSV of one approval batch. */
  blotterCsv(batchId: string, signal?: AbortSignal): Promise<string>;
}

export function createApprovalsApi(serverUrl: string, token: () => string, fetchImpl: typeof fetch = (...a) => fetch(...a)): ApprovalsApi {
  const base = serverUrl.replace(/\/+$/, '');
  return {
    postChunk: (decision, ids, comment, signal) =>
      requestJson<BulkAnswer>('POST', `${base}/api/v1/proposals/${decision}`, { token: token(), body: { ids, comment }, signal, fetchImpl }),
    async blotterCsv(batchId, signal) {
      let res: Response;
      try {
        res = await fetchImpl(`${base}/api/v1/batches/${encodeURIComponent(batchId)}/blotter.csv`, {
          headers: { Authorization: `Bearer ${token()}`, Accept: 'text/csv' }, signal,
        });
      } catch (err) {
        throw new SyncHttpError(0, 'offline', `cannot reach the sync server at ${base}: ${(err as Error).message}`);
      }
      const text = await res.text();
      if (!res.ok) {
        let e: { code?: string; message?: string } | undefined;
        try { e = (JSON.parse(text) as { error?: typeof e }).error; } catch { /* not JSON */ }
        throw new SyncHttpError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `HTTP ${res.status}`);
      }
      return text;
    },
  };
}
