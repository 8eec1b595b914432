/**
 * `npx tsx tools/monitoring/build-dashboard.ts`: writes monitoring/grafana-dashboard.json from the panel list
 * below, so every panel has the same datasource variable, units and layout. Edit here, not the JSON.
 */
import { writeFile } from 'node:fs/promises';

interface Panel {
  title: string;
  unit: string;
  targets: Array<{ expr: string; legend: string }>;
  type?: 'timeseries' | 'stat';
  description?: string;
}

const queued = 'sum by (state) (max by (state) (gong_ingest_queue_jobs{state=~"waiting|prioritized|delayed|active|failed"}))';

const panels: Panel[] = [
  { title: 'Webhooks received', unit: 'reqps', targets: [{ expr: 'sum by (source, outcome) (rate(gong_ingest_webhooks_received_total[5m]))', legend: '{{source}} {{outcome}}' }] },
  { title: 'Backlog by state', unit: 'short', description: 'Every pod exports the same queue counts; max avoids double counting.', targets: [{ expr: queued, legend: '{{state}}' }] },
  { title: 'Jobs completed and failed', unit: 'ops', targets: [{ expr: 'sum by (outcome, failure_class) (rate(gong_ingest_jobs_finished_total[5m]))', legend: '{{outcome}} {{failure_class}}' }] },
  { title: 'Retries by failure class', unit: 'ops', targets: [{ expr: 'sum by (failure_class) (rate(gong_ingest_job_retries_total[5m]))', legend: '{{failure_class}}' }] },
  {
    title: 'End-to-end latency (webhook to media in Gong)',
    unit: 's',
    targets: [0.5, 0.95, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(gong_ingest_job_end_to_end_seconds_bucket[15m])))`, legend: `p${q * 100}` })),
  },
  { title: 'Upload throughput', unit: 'Bps', targets: [{ expr: 'sum(rate(gong_ingest_upload_bytes_total[5m]))', legend: 'bytes/s' }] },
  { title: 'Gong requests by operation and status', unit: 'reqps', targets: [{ expr: 'sum by (operation, status) (rate(gong_ingest_gong_requests_total[5m]))', legend: '{{operation}} {{status}}' }] },
  { title: 'Gong request latency p95', unit: 's', targets: [{ expr: 'histogram_quantile(0.95, sum by (le, operation) (rate(gong_ingest_gong_request_duration_seconds_bucket[15m])))', legend: '{{operation}}' }] },
  { title: 'Gong 429s', unit: 'short', targets: [{ expr: 'sum by (operation) (increase(gong_ingest_gong_requests_total{status="429"}[1h]))', legend: '{{operation}}' }] },
  { title: 'Gong daily budget left', unit: 'short', type: 'stat', targets: [{ expr: 'min(gong_ingest_gong_daily_budget_remaining)', legend: 'requests left today' }] },
  { title: 'Time waiting for the Gong limiter', unit: 's', targets: [{ expr: 'sum by (reason) (rate(gong_ingest_rate_limit_wait_seconds_total[5m]))', legend: '{{reason}}' }] },
  { title: 'Redis up', unit: 'short', type: 'stat', targets: [{ expr: 'min(gong_ingest_redis_up)', legend: 'redis' }] },
  {
    title: 'Redis errors by kind',
    unit: 'ops',
    description: 'Commands Redis refused or could not take (oom, readonly, cluster, replication, tls…), by role. Non-zero while Redis is up means it answers PING but refuses the work.',
    targets: [{ expr: 'sum by (role, kind) (rate(gong_ingest_redis_errors_total[5m]))', legend: '{{role}} {{kind}}' }],
  },
  {
    title: 'Replica acknowledgements (REDIS_WAIT_REPLICAS)',
    unit: 'ops',
    targets: [{ expr: 'sum by (role, outcome) (rate(gong_ingest_redis_replica_waits_total[5m]))', legend: '{{role}} {{outcome}}' }],
  },
  {
    title: 'Import runs by state',
    unit: 'short',
    description: 'The 5 newest import runs (gong-ingest imports lists them all). Every pod exports the same counts; max avoids double counting.',
    targets: [{ expr: 'max by (import, state) (gong_ingest_import_calls{state=~"pending|in_gong|failed|invalid"})', legend: '{{import}} {{state}}' }],
  },
  {
    title: 'Imported calls reaching Gong',
    unit: 'ops',
    description: 'Calls per second each import run brings into Gong; imports take only turns no live call waits for.',
    targets: [{ expr: 'sum by (import) (deriv(max by (import) (gong_ingest_import_calls{state="in_gong"})[10m:1m]))', legend: '{{import}}' }],
  },
  { title: "Imports' daily budget left", unit: 'short', type: 'stat', targets: [{ expr: 'min(gong_ingest_import_daily_budget_remaining)', legend: 'import requests left today' }] },
];

const dashboard = {
  title: 'gong-ingest',
  uid: 'gong-ingest',
  tags: ['gong', 'telephony'],
  schemaVersion: 39,
  version: 1,
  editable: true,
  time: { from: 'now-6h', to: 'now' },
  refresh: '30s',
  templating: {
    list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus', current: {}, hide: 0 }],
  },
  panels: panels.map((panel, index) => ({
    id: index + 1,
    type: panel.type ?? 'timeseries',
    title: panel.title,
    ...(panel.description ? { description: panel.description } : {}),
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { x: (index % 2) * 12, y: Math.floor(index / 2) * 8, w: 12, h: 8 },
    fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
    options: {},
    targets: panel.targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: { type: 'prometheus', uid: '${datasource}' },
      expr: t.expr,
      legendFormat: t.legend,
    })),
  })),
};

await writeFile(new URL('../../monitoring/grafana-dashboard.json', import.meta.url), `${JSON.stringify(dashboard, null, 2)}\n`);
