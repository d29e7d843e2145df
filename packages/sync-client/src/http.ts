// HTTP side of the sync client: login/logout against the sync server and one JSON request helper that turns
// failures into SyncHttpError (status 0 = the server could not be reached). Runs in Node and in the browser
// (global fetch; no Node imports).
import type { Role } from '@aw/domain';

export interface SessionUser {
  id: string;
  username: string;
  team: string;
  role: Role;
}

/** What POST /auth/login answers. `expiresAt` (epoch ms) moves forward whenever the token is used. */
export interface Session {
  token: string;
  expiresAt: number;
  user: SessionUser;
}

/** A failed server call: `status` 0 when offline/unreachable; `code` from the server's {"error":{"code"}}. */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole `error` object of the response (e.g. `rejected`, `documents` of a refused push). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
  get isAuthError(): boolean {
    return this.status === 401;
  }
  get isOffline(): boolean {
    return this.status === 0;
  }
}

export const trimUrl = (url: string): string => url.replace(/\/+$/, '');

export async function requestJson<T>(
  method: 'GET' | 'POST',
  url: string,
  opts: { token?: string; body?: unknown; fetchImpl?: typeof fetch; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await (opts.fetchImpl ?? fetch)(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    throw new SyncHttpError(0, 'offline', `cannot reach the sync server at ${url}: ${(err as Error).message}`);
  }
  const text = await res.text().catch(() => '');
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = json?.error;
    throw new SyncHttpError(res.status, typeof e?.code === 'string' ? e.code : `http_${res.status}`, typeof e?.message === 'string' ? e.message : `HTTP ${res.status}`, e ?? {});
  }
  return json as T;
}

/** Logs in; throws SyncHttpError (401 invalid_credentials, 429 rate_limited, 0 offline). */
export function login(url: string, username: string, password: string, fetchImpl?: typeof fetch): Promise<Session> {
  return requestJson<Session>('POST', `${trimUrl(url)}/auth/login`, { body: { username, password }, fetchImpl });
}

/** Revokes the token on the server. */
export async function logout(url: string, token: string, fetchImpl?: typeof fetch): Promise<void> {
  await requestJson('POST', `${trimUrl(url)}/auth/logout`, { token, fetchImpl });
}
