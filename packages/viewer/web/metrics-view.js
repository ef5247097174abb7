// Request rate, error rate and p95/p99 by service and route over time, from the
// `http.server.request.duration` histograms; an exemplar dot opens its trace.
import { api, formatMillis, formatPercent, h, navigate } from './dom.js';
import { lineChart } from './charts.js';

export async function renderMetrics(main) {
  const { windowMillis, series } = await api('metrics');
  main.append(h('p', { class: 'muted' }, `http.server.request.duration, in ${windowMillis / 1000} s windows; dots are exemplars (red: a failing request), click one to open its trace.`));
  if (series.length === 0) main.append(h('p', {}, 'No histogram points received yet.'));
  const starts = series.flatMap((entry) => entry.windows.map((window) => window.startMillis));
  const xRange = [Math.min(...starts), Math.max(...starts) + windowMillis];
  for (const entry of series) {
    const at = (pick) => entry.windows.map((window) => [window.startMillis + windowMillis / 2, pick(window)]);
    const dots = entry.exemplars.map((exemplar) => ({
      x: exemplar.timeMillis, y: exemplar.valueMillis, traceId: exemplar.traceId,
      color: exemplar.error ? '#d1242f' : '#57606a',
      testId: exemplar.error ? 'exemplar-error' : 'exemplar',
      title: `${formatMillis(exemplar.valueMillis)} · trace ${exemplar.traceId} · request_id ${exemplar.requestId}`,
      onclick: () => navigate(`trace/${exemplar.traceId}`),
    }));
    main.append(h('section', { class: 'metric-series', 'data-testid': 'metric-series', 'data-service': entry.service, 'data-route': entry.route },
      h('h3', {}, `${entry.service} ${entry.route}`, h('span', { class: 'muted' },
        ` ${entry.totals.requests} requests · ${formatPercent(entry.totals.errorRate)} errors · p95 ${formatMillis(entry.totals.p95)} · p99 ${formatMillis(entry.totals.p99)}`)),
      h('div', { class: 'charts' },
        lineChart({ title: 'requests / s', lines: [{ points: at((window) => window.ratePerSecond), color: '#0969da' }], xRange, format: (value) => value.toFixed(1) }),
        lineChart({ title: 'error rate', lines: [{ points: at((window) => window.errorRate), color: '#d1242f' }], xRange, format: formatPercent }),
        lineChart({ title: 'p95 (orange), p99 (purple), exemplars', xRange, format: formatMillis, dots,
          lines: [{ points: at((window) => window.p95), color: '#bc4c00' }, { points: at((window) => window.p99), color: '#8250df' }] }))));
  }
}
