// Which replication errors are this computer's storage refusing a write (disk or IndexedDB quota full, the database
// closed or broken), as opposed to the network or the server (those come from our own handlers, see http.ts).
// Why it matters: RxDB's replication writes each pulled batch locally and, when that write fails, reports the error
// and goes on with the next batch, whose checkpoint then moves past the lost one: without a new pull from the start
// those documents would be missing for good while the status said "Synced".

/** A description of `err` when it is a local storage failure (for the sync status); null otherwise. */
export function localWriteFailure(err: unknown): string | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { rxdb?: boolean; code?: string; message?: string; name?: string; parameters?: { writeError?: { status?: number; documentId?: string; error?: unknown } } };
  if (e.rxdb) {
    // RxDB's own codes: RC_PULL / RC_PUSH with `writeError` come from writing to the local copy; with `errors`
    // (and RC_STREAM, RC_START…) they wrap our handlers' network and server errors, reported where they happen.
    const w = e.parameters?.writeError;
    if ((e.code !== 'RC_PULL' && e.code !== 'RC_PUSH') || !w) return null;
    const inner = w.error as { message?: string } | undefined;
    return `status ${w.status ?? '?'} writing ${w.documentId ?? 'a document'}${inner?.message ? `: ${inner.message}` : ''}`;
  }
  // Not wrapped by RxDB: a rejected storage write of the replication's own (e.g. IndexedDB's QuotaExceededError).
  return [e.name, e.message].filter(Boolean).join(': ') || String(err);
}
