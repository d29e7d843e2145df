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

/** True for http(s) URLs of this machine (127.0.0.0/8, ::1, localhost), where compressing responses only costs CPU. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function requestJson<T>(
  method: 'GET' | 'POST',
  url: string,
  opts: { token?: string; body?: unknown; fetchImpl?: typeof fetch; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const send = () =>
    (opts.fetchImpl ?? fetch)(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  let res: Response;
  try {
    res = await send().catch((err: unknown) => {
      // A GET on a kept-alive connection the server closed meanwhile (its idle timeout passed while this client
      // was busy) fails before any answer: safe to send again at once on a fresh connection.
      if (method === 'GET' && isStaleConnection(err) && !opts.signal?.aborted) return send();
      throw err;
    });
  } catch (err) {
    throw new SyncHttpError(0, 'offline', `cannot reach the sync server at ${url}: ${describe(err)}`);
  }
  let text = '';
  let readError: Error | undefined;
  try {
    text = await res.text();
  } catch (err) {
    readError = err as Error;
  }
  let json: any;
  let parseError: Error | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch (err) {
    parseError = err as Error;
  }
  if (!res.ok) {
    const e = json?.error;
    throw new SyncHttpError(res.status, typeof e?.code === 'string' ? e.code : `http_${res.status}`, typeof e?.message === 'string' ? e.message : `HTTP ${res.status}`, e ?? {});
  }
  // A successful status with a body that could not be read or is not JSON (connection cut mid-body, truncated
  // gzip stream): never hand `undefined` to the caller as if it were the answer.
  if (readError) throw new SyncHttpError(0, 'offline', `the response of ${method} ${url} was cut off: ${describe(readError)}`);
  if (parseError) {
    throw new SyncHttpError(res.status, 'invalid_response', `the response of ${method} ${url} is not JSON (${text.length} characters${parseError ? `: ${parseError.message}` : ''})`);
  }
  return json as T;
}

/** An error message with its cause (Node's fetch says only "fetch failed"; the cause says why). */
function describe(err: unknown): string {
  const e = err as Error & { cause?: { message?: string; code?: string } };
  const cause = e?.cause ? ` (${[e.cause.code, e.cause.message].filter(Boolean).join(': ')})` : '';
  return `${e?.message ?? String(err)}${cause}`;
}

/** Node's fetch (undici): the socket was reset or closed by the server before an answer came. */
function isStaleConnection(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/** Logs in; throws SyncHttpError (401 invalid_credentials, 429 rate_limited, 0 offline). */
export function login(url: string, username: string, password: string, fetchImpl?: typeof fetch): Promise<Session> {
  return requestJson<Session>('POST', `${trimUrl(url)}/auth/login`, { body: { username, password }, fetchImpl });
}

/** Revokes the token on the server. */
export async function logout(url: string, token: string, fetchImpl?: typeof fetch): Promise<void> {
  await requestJson('POST', `${trimUrl(url)}/auth/logout`, { token, fetchImpl });
}
