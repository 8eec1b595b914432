import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMetrics } from '../../src/metrics/metrics.js';
import { promtool } from './promtool.js';

const monitoring = fileURLToPath(new URL('../../monitoring/', import.meta.url));

/** Names a PromQL expression may use for the service's metrics: histograms also expose _bucket, _sum and _count. */
async function exportedNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await createMetrics().registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

const usedNames = (text: string) => new Set(text.match(/gong_ingest_[a-z0-9_]+/g) ?? []);

describe('alert rules and dashboard', () => {
  it('When promtool checks the alert rules, then they are valid', () => {
    const { status, output } = promtool(['check', 'rules', `${monitoring}alerts.yaml`]);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it("When promtool runs the rules' unit tests, then each alert fires when it should and not before", () => {
    const { status, output } = promtool(['test', 'rules', 'alerts.test.yaml'], undefined, monitoring);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('When the alerts name a metric, then the service exports it', async () => {
    const exported = await exportedNames();
    const used = usedNames(readFileSync(`${monitoring}alerts.yaml`, 'utf8'));
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  it("When the dashboard's queries name a metric, then the service exports it, and every panel uses the datasource variable", async () => {
    const dashboard = JSON.parse(readFileSync(`${monitoring}grafana-dashboard.json`, 'utf8')) as {
      panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
    };
    const exported = await exportedNames();
    const used = usedNames(dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n'));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    for (const required of ['gong_ingest_webhooks_received_total', 'gong_ingest_queue_jobs', 'gong_ingest_job_end_to_end_seconds_bucket', 'gong_ingest_upload_bytes_total', 'gong_ingest_gong_daily_budget_remaining']) {
      expect(used).toContain(required);
    }
    expect(dashboard.panels.every((p) => p.datasource.uid === '${datasource}')).toBe(true);
  });
});
