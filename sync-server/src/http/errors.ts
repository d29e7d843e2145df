// HTTP error shape of the whole server: every failure answers `{"error":{"code","message"}}` with a 4xx/5xx status.
// Cores throw named errors; this boundary turns them into that shape.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra fields of the error object (e.g. the rejected ids of a push). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, code = 'bad_request') => new HttpError(400, code, message);
export const forbidden = (message: string, code = 'forbidden') => new HttpError(403, code, message);
export const notFound = (message: string, code = 'not_found') => new HttpError(404, code, message);

export function sendError(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message, ...extra } });
}

export const notFoundHandler: RequestHandler = (req, res) =>
  sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`);

/** Last middleware: body-parser errors, HttpErrors, anything else as 500 (logged, message not leaked). */
export function errorHandler(log: Logger, bodyLimitBytes: number): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      return sendError(res, err.status, err.code, err.message, err.extra);
    }
    if (e.type === 'entity.too.large') {
      return sendError(res, 413, 'payload_too_large', `request body is larger than the limit of ${bodyLimitBytes} bytes`);
    }
    if (e.type === 'entity.parse.failed') return sendError(res, 400, 'malformed_json', `request body is not valid JSON: ${e.message}`);
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return sendError(res, 415, 'unsupported_encoding', e.message ?? 'unsupported encoding');
    const status = e.status ?? e.statusCode;
    if (status && status >= 400 && status < 500) return sendError(res, status, 'bad_request', e.message ?? 'bad request');
    log.error({ err, method: req.method, path: req.path }, 'request failed');
    return sendError(res, 500, 'internal', 'internal server error (see the server log)');
  };
}
