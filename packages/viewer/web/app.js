// The page: a hash router over four views, the "what changed" strip, and the store's counts.
import { api, currentRoute } from './dom.js';
import { renderChanges } from './changes-strip.js';
import { renderLogs } from './logs-view.js';
import { renderMetrics } from './metrics-view.js';
import { renderTrace } from './trace-view.js';
import { renderTraces } from './traces-view.js';

const VIEWS = { traces: renderTraces, trace: renderTrace, logs: renderLogs, metrics: renderMetrics };

async function showStats() {
  const stats = await api('stats');
  const dropped = stats.dropped.traces + stats.dropped.logRecords + stats.dropped.metricPoints;
  document.getElementById('stats').textContent =
    `${stats.traces}/${stats.limits.maxTraces} traces · ${stats.logRecords}/${stats.limits.maxLogRecords} log records · ` +
    `${stats.metricPoints}/${stats.limits.maxMetricPoints} metric points${dropped ? ` · ${dropped} dropped (oldest first)` : ''}`;
}

async function route() {
  const { view, id, params } = currentRoute();
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.view === (view === 'trace' ? 'traces' : view));
  }
  const main = document.getElementById('view');
  main.replaceChildren();
  try {
    await (VIEWS[view] ?? renderTraces)(main, { id, params });
  } catch (error) {
    main.textContent = `Could not load: ${error.message}`;
  }
  await Promise.all([showStats(), renderChanges(document.getElementById('changes'))]).catch(() => {});
}

window.addEventListener('hashchange', () => void route());
void route();
