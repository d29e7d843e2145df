import { describe, expect, it } from 'vitest';
import { newRxError } from 'rxdb';
import { SyncHttpError } from './http.ts';
import { localWriteFailure } from './local-write-failure.ts';

describe('localWriteFailure', () => {
  it("names the local storage's refusals: a raw storage error, or RxDB's write error of a pulled or conflicting document", () => {
    expect(localWriteFailure(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe('QuotaExceededError: The quota has been exceeded.');
    const writeError = { status: 500, documentId: 'lot-1', error: { message: 'disk I/O error' } };
    expect(localWriteFailure(newRxError('RC_PULL', { writeError } as any))).toBe('status 500 writing lot-1: disk I/O error');
    expect(localWriteFailure(newRxError('RC_PUSH', { writeError: { status: 510, documentId: 'hh-2' } } as any))).toBe('status 510 writing hh-2');
  });

  it('leaves network and server errors to the handlers that report them', () => {
    const offline = new SyncHttpError(0, 'offline', 'sync server unreachable');
    expect(localWriteFailure(newRxError('RC_PULL', { errors: [offline], direction: 'pull' } as any))).toBeNull();
    expect(localWriteFailure(newRxError('RC_PUSH', { errors: [offline], direction: 'push' } as any))).toBeNull();
    expect(localWriteFailure(newRxError('RC_STREAM', { errors: [] } as any))).toBeNull();
    expect(localWriteFailure(undefined)).toBeNull();
  });
});
