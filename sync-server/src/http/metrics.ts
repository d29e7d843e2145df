// Prometheus metrics of the core (one Registry per server instance, so tests can run many servers):
// HTTP requests by route and status, latency histograms (seconds), ws connections by path, active sessions,
// and the replication counters the replication feature increments.
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(countActiveSessions: () => Promise<number>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry],
  });
  const httpLatency = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request latency by method and route', labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const wsConnections = new Gauge({ name: 'ws_connections', help: 'Open WebSocket connections by path', labelNames: ['path'], registers: [registry] });
  new Gauge({
    name: 'auth_active_sessions', help: 'Sessions neither expired nor revoked', registers: [registry],
    async collect() {
      this.set(await countActiveSessions().catch(() => 0));
    },
  });
  const replicationPulls = new Counter({
    name: 'replication_pulls_total', help: 'Replication pull requests by collection', labelNames: ['collection'], registers: [registry],
  });
  const replicationPulledDocs = new Counter({
    name: 'replication_pulled_documents_total', help: 'Documents sent by pulls, by collection', labelNames: ['collection'], registers: [registry],
  });
  const replicationPushes = new Counter({
    name: 'replication_pushes_total', help: 'Replication push requests by collection and outcome (ok, conflict, rejected)',
    labelNames: ['collection', 'outcome'], registers: [registry],
  });
  const replicationPushedDocs = new Counter({
    name: 'replication_pushed_documents_total', help: 'Documents written by pushes, by collection', labelNames: ['collection'], registers: [registry],
  });
  const replicationStreamEvents = new Counter({
    name: 'replication_stream_events_total', help: 'Change events sent on replication streams, by collection', labelNames: ['collection'], registers: [registry],
  });

  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = httpLatency.startTimer();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'middleware';
      httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };

  return { registry, httpMiddleware, wsConnections, replicationPulls, replicationPulledDocs, replicationPushes, replicationPushedDocs, replicationStreamEvents };
}

export type ServerMetrics = ReturnType<typeof createMetrics>;
