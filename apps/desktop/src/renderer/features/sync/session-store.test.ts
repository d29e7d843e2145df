import { describe, expect, it } from 'vitest';
import { clearSignIn, loadSignIn, saveSignIn, userBookDbName, type KeyValueStore } from './session-store.ts';

const memoryKv = (): KeyValueStore & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
};
const session = { token: 't1', expiresAt: 1, user: { id: 'u-alice', username: 'alice', team: 'demo', role: 'advisor' as const } };

describe('stored sign-in', () => {
  it('round-trips a session per server and forgets it on sign-out', () => {
    const kv = memoryKv();
    saveSignIn(kv, 'http://127.0.0.1:8787', { mode: 'signed-in', session });
    expect(loadSignIn(kv, 'http://127.0.0.1:8787')).toEqual({ mode: 'signed-in', session });
    expect(loadSignIn(kv, 'http://127.0.0.1:9999')).toBeNull();
    clearSignIn(kv, 'http://127.0.0.1:8787');
    expect(loadSignIn(kv, 'http://127.0.0.1:8787')).toBeNull();
  });

  it('remembers the choice to work on the local book', () => {
    const kv = memoryKv();
    saveSignIn(kv, 'http://h', { mode: 'local' });
    expect(loadSignIn(kv, 'http://h')).toEqual({ mode: 'local' });
  });

  it('ignores corrupt or incomplete entries instead of crashing the app', () => {
    const kv = memoryKv();
    kv.setItem('aw.signin.http://h', '{not json');
    expect(loadSignIn(kv, 'http://h')).toBeNull();
    kv.setItem('aw.signin.http://h', JSON.stringify({ mode: 'signed-in', session: { token: 't' } }));
    expect(loadSignIn(kv, 'http://h')).toBeNull();
  });
});

describe('userBookDbName', () => {
  it('gives each user of each server its own valid RxDB name', () => {
    const a = userBookDbName('http://127.0.0.1:8787', 'u-alice');
    expect(a).toBe('aw-book-u-alice-at-127-0-0-1-8787');
    expect(a).toMatch(/^[a-z][_$a-z0-9-]*$/);
    expect(userBookDbName('http://127.0.0.1:8787', 'u-bob')).not.toBe(a);
    expect(userBookDbName('http://10.0.0.2:8787', 'u-alice')).not.toBe(a);
  });
});
