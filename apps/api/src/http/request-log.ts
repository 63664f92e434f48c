import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

/**
 * One line per request, built from an allow-list: method, the route TEMPLATE (never the URL, so
 * OAuth `code=`/`state=`, ids and search terms stay out), status, duration, request id and the
 * tenant when the route names one. No headers at all: signatures, cookies and bearer tokens have
 * no way in. Handlers log through `req.log`, a child that carries only the request id.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = /^\d{1,20}$/;

/**
 * `/api/ops/tenants/:id` — the template express matched. Static files (the console and panel
 * bundles) match no route: their first two path segments say enough (`/console/assets/…`).
 * Anything else that matched nothing is `(no route)`: a probe's path is not worth a log line.
 */
export function routeOf(req: Request, status?: number): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${req.baseUrl ?? ''}${path}`;
  if (status !== undefined && status < 400) {
    const segments = (req.originalUrl ?? '').split('?')[0]!.split('/').filter(Boolean);
    return `/${segments
      .slice(0, 2)
      .map((s) => s.replace(/[^\w.-]/g, '_').slice(0, 40))
      .join('/')}${segments.length > 2 ? '/…' : ''}`;
  }
  return '(no route)';
}

/** The tenant a request was about, when its route says so (ops tenant id, webhook key, company). */
export function tenantOf(req: Request, res: Response): string | undefined {
  const fromHandler = (res.locals as { tenantId?: unknown }).tenantId;
  if (typeof fromHandler === 'string') return fromHandler;
  const p = (req.params ?? {}) as Record<string, string | undefined>;
  for (const key of ['id', 'tenantKey', 'tenantId']) {
    const v = p[key];
    if (v && UUID.test(v)) return v.toLowerCase();
  }
  if (p.companyId && NUMERIC.test(p.companyId)) return `company:${p.companyId}`;
  return undefined;
}

/** Request ids from a client are kept only when they are short and plain; else a fresh uuid. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

function line(req: IncomingMessage, res: ServerResponse, responseTime: number) {
  const r = req as Request;
  const out: Record<string, unknown> = {
    method: r.method,
    route: routeOf(r, res.statusCode),
    status: res.statusCode,
    ms: responseTime,
  };
  const tenant = tenantOf(r, res as Response);
  if (tenant) out.tenant = tenant;
  return out;
}

export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: requestId,
    // req.log / res.log carry only { reqId }: nothing of the request leaks into handler lines
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'reqId' },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' || req.url === '/readyz' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, val: { responseTime: number }) => line(req, res, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) => line(req, res, val.responseTime),
    customSuccessMessage: (req, res) => `${req.method} ${routeOf(req as Request, res.statusCode)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req as Request, res.statusCode)} ${res.statusCode}`,
  });
}
