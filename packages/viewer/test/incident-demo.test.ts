import type { Page } from 'playwright-core';
import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import { launchChromium, screenshotPath } from './helpers/browser';
import type { DemoRun } from './helpers/run-demo';
import { runDemo, stopAllDemos } from './helpers/run-demo';

// Two seeds that plant different bugs: an error in orders (a failing SQL query) and a stall in
// pricing that orders times out on. One runs on the embedded PostgreSQL and also exports to a
// backend of its own (OTEL_EXPORTER_OTLP_ENDPOINT), one on the real PostgreSQL server.
const SEEDS = [
  { seed: 7, backend: true, env: {} },
  { seed: 1, backend: false, env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' } },
];
// Short enough for the suite; THREADLINE_DEMO_SECONDS=60 gives fuller charts for the docs' screenshots.
const DURATION_SECONDS = Number(process.env.THREADLINE_DEMO_SECONDS ?? 14);

interface TraceDetail {
  summary: { traceId: string; requestId: string; status: string };
  spans: { traceId: string; spanId: string; service: string }[];
  logs: { traceId: string; spanId: string; requestId: string; service: string; level: string }[];
}

describe('the incident demo', () => {
  const runs: DemoRun[] = [];
  let backend: OtlpReceiver;

  beforeAll(async () => {
    backend = await startOtlpReceiver();
    runs.push(...(await Promise.all(SEEDS.map(({ seed, env, backend: exports }) =>
      runDemo(seed, DURATION_SECONDS, exports ? { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: backend.url } : env)))));
  }, 300_000 + DURATION_SECONDS * 4000);

  afterAll(async () => {
    for (const run of runs) await run.interrupt();
    stopAllDemos();
    await backend.stop();
  });

  it('finds what each seed planted: account type, flag, service, version and failure mode', () => {
    expect(runs).toHaveLength(2);
    expect(runs[0]!.report.planted).not.toEqual(runs[1]!.report.planted);
    for (const { report, stdout } of runs) {
      const { traceId, ...found } = report.found;
      // On a mismatch, the printed investigation is what tells why.
      expect({ found, investigation: stdout() }).toEqual({ found: report.planted, investigation: stdout() });
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      const { accountType, flag, service, version } = report.planted;
      expect(stdout()).toContain(`Since ${service} ${version} started serving, requests from ${accountType} accounts with ${flag} on`);
      expect(stdout()).toContain('1. How bad is it, and since when? (blast radius)');
      expect(stdout()).toContain('6. What does the data support? (hypothesis)');
    }
  });

  it("holds the failing request's trace across all three services, with log lines that share its IDs", async () => {
    for (const { report } of runs) {
      const answer = await fetch(`${report.viewer}/api/traces/${report.found.traceId}`);
      expect(answer.status).toBe(200);
      const trace = (await answer.json()) as TraceDetail;
      expect(trace.summary.status).toBe('error');
      expect(new Set(trace.spans.map((span) => span.service))).toEqual(new Set(['gateway', 'orders', 'pricing']));
      expect(new Set(trace.logs.map((record) => record.service))).toEqual(new Set(['gateway', 'orders', 'pricing']));
      const spanIds = new Set(trace.spans.map((span) => span.spanId));
      for (const record of trace.logs) {
        expect(record.traceId).toBe(report.found.traceId);
        expect(record.requestId).toBe(trace.summary.requestId);
        expect(spanIds.has(record.spanId)).toBe(true);
      }
      expect(trace.logs.some((record) => record.level === 'error')).toBe(true);
    }
  });

  it('also exports to OTEL_EXPORTER_OTLP_ENDPOINT when it is set', async () => {
    const { report } = runs[0]!;
    const services = new Set(backend.spans().map((span) => span.resource['service.name']));
    expect(services).toEqual(new Set(['gateway', 'orders', 'pricing']));
    const forwarded = backend.spans().filter((span) => span.traceId === report.found.traceId);
    expect(new Set(forwarded.map((span) => span.resource['service.name']))).toEqual(services);
    expect(backend.logRecords().some((record) => record.traceId === report.found.traceId && record.severityNumber === 17)).toBe(true);
    expect(backend.metrics().some((metric) => metric.name === 'http.server.request.duration')).toBe(true);
  });

  it('lets a user find the failing trace from the list and from an exemplar, and filter its logs', async () => {
    const { report } = runs[0]!;
    const browser = await launchChromium();
    try {
      const page: Page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));

      // The trace list, filtered to failures, then the first one's waterfall.
      await page.goto(`${report.viewer}/#/traces`);
      await page.selectOption('[data-testid=trace-filter-status]', 'error');
      await page.click('[data-testid=trace-search]');
      await page.waitForURL(/status=error/);
      await page.waitForSelector('[data-testid=trace-row]');
      const statuses = await page.locator('[data-testid=trace-row]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(['error']));
      await expect(page.locator('[data-testid=changes]').textContent()).resolves.toContain(report.planted.version!);
      await page.screenshot({ path: screenshotPath('viewer-traces.png') });
      await page.locator('[data-testid=trace-row]').first().click();
      await page.waitForSelector('[data-testid=span-row]');
      const services = await page.locator('[data-testid=span-row]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-service')));
      expect(new Set(services)).toEqual(new Set(['gateway', 'orders', 'pricing']));
      expect(await page.locator('[data-testid=span-log]').count()).toBeGreaterThanOrEqual(3);
      await expect(page.locator('[data-testid=trace-summary]').textContent()).resolves.toContain(`fails in ${report.planted.service}`);
      await page.screenshot({ path: screenshotPath('viewer-trace.png') });
      // A span opens to its attributes and events: orders' entry span has the flag evaluation.
      const ordersEntry = page.locator('[data-testid=span-row][data-service=orders]').first();
      await ordersEntry.locator('.span-head').click();
      const details = await ordersEntry.locator('[data-testid=span-details]').textContent();
      expect(details).toContain('request.id');
      expect(details).toContain(`accountType${report.planted.accountType}`);
      expect(details).toContain('feature_flag.evaluation');

      // A failing request's exemplar on the latency chart opens its trace.
      await page.goto(`${report.viewer}/#/metrics`);
      const exemplar = page.locator('[data-testid=exemplar-error]').first();
      await exemplar.waitFor();
      await page.screenshot({ path: screenshotPath('viewer-metrics.png') });
      const exemplarTrace = await exemplar.getAttribute('data-trace-id');
      await exemplar.dispatchEvent('click');
      await page.waitForURL(`**/#/trace/${exemplarTrace}`);
      await page.waitForSelector('[data-testid=span-row].error');

      // Logs by request ID: one request's lines from every service; then by an attribute.
      const { summary } = (await (await fetch(`${report.viewer}/api/traces/${report.found.traceId}`)).json()) as TraceDetail;
      await searchLogs(page, `request_id:${summary.requestId}`);
      const byRequest = await logRows(page);
      expect(new Set(byRequest.map((row) => row.service))).toEqual(new Set(['gateway', 'orders', 'pricing']));
      for (const row of byRequest) expect(row.requestId).toBe(summary.requestId.slice(0, 12));
      await searchLogs(page, `level:error AND accountType:${report.planted.accountType}`);
      const byAttribute = await logRows(page);
      expect(byAttribute.length).toBeGreaterThan(0);
      for (const row of byAttribute) {
        expect(row.level).toBe('error');
        expect(row.fields).toContain(`accountType=${report.planted.accountType}`);
      }
      await page.screenshot({ path: screenshotPath('viewer-logs.png') });
      await page.locator('[data-testid=log-row] [data-testid=trace-link]').first().click();
      await page.waitForSelector('[data-testid=waterfall]');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('ends on Ctrl-C', async () => {
    const codes = await Promise.all(runs.splice(0).map((run) => run.interrupt()));
    expect(codes).toEqual([0, 0]);
  });
});

async function searchLogs(page: Page, query: string): Promise<void> {
  await page.click('nav a[data-view=logs]');
  await page.fill('[data-testid=log-query]', query);
  await page.click('[data-testid=log-search]');
  // The table says which query it shows, so rows of the previous query are never read.
  await page.waitForFunction(`document.querySelector('[data-testid=log-table]')?.dataset.query === ${JSON.stringify(query)}`);
}

async function logRows(page: Page): Promise<{ level: string; service: string; fields: string; requestId: string }[]> {
  return page.locator('[data-testid=log-row]').evaluateAll((rows) => rows.map((row) => {
    const cells = [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '');
    return { level: cells[1] ?? '', service: cells[2] ?? '', fields: cells[4] ?? '', requestId: cells[5] ?? '' };
  }));
}
