// One trace: a waterfall across services, each span with its attributes, events and log lines.
import { api, formatMillis, formatTime, h, navigate, serviceColor } from './dom.js';

function orderedWithDepth(spans) {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map();
  for (const span of spans) {
    const parent = ids.has(span.parentSpanId) ? span.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered = [];
  const walk = (parentId, depth) => {
    for (const span of children.get(parentId) ?? []) {
      ordered.push({ span, depth });
      walk(span.spanId, depth + 1);
    }
  };
  walk('', 0);
  return ordered;
}

const keyValues = (attributes) => h('dl', { class: 'attributes' },
  Object.entries(attributes).flatMap(([key, value]) => [h('dt', {}, key), h('dd', {}, typeof value === 'object' ? JSON.stringify(value) : String(value))]));

function logLine(record) {
  const message = record.attributes['error.message'];
  return h('div', { class: `log level-${record.level}`, 'data-testid': 'span-log' },
    h('span', { class: 'mono' }, formatTime(record.timeMillis)), ' ', h('b', {}, record.level), ' ', record.body,
    message ? ` — ${message}` : '', ' ', h('a', { href: `#/logs?q=${encodeURIComponent(`request_id:${record.requestId}`)}`, class: 'mono' }, `request_id=${record.requestId}`));
}

export async function renderTrace(main, { id }) {
  const { summary, spans, logs } = await api(`traces/${id}`);
  main.append(h('h2', {}, `${summary.service}: ${summary.name} `, summary.status === 'error' ? h('span', { class: 'badge' }, 'error') : ''),
    h('p', { class: 'muted', 'data-testid': 'trace-summary' }, `trace ${summary.traceId} · request_id ${summary.requestId || '-'} · ${formatMillis(summary.durationMillis)} · `,
      `${summary.spanCount} spans across ${summary.services.join(', ')}`,
      summary.failure ? ` · fails in ${summary.failure.service} (${summary.failure.name}: ${summary.failure.message})` : '', ' · ',
      h('a', { href: `#/logs?q=${encodeURIComponent(`trace_id:${summary.traceId}`)}` }, 'all its log lines')));
  const logsBySpan = new Map();
  for (const record of logs) logsBySpan.set(record.spanId, [...(logsBySpan.get(record.spanId) ?? []), record]);
  const start = summary.startMillis;
  const total = Math.max(summary.durationMillis, 0.001);
  const rows = orderedWithDepth(spans).map(({ span, depth }) => {
    const details = h('div', { class: 'details', hidden: true, 'data-testid': 'span-details' }, keyValues({ 'span.id': span.spanId, 'service.version': span.version, ...span.attributes }),
      span.events.length ? h('div', {}, h('h4', {}, 'events'), span.events.map((event) => h('div', {}, h('b', {}, event.name), keyValues(event.attributes)))) : '');
    const bar = h('div', { class: 'bar-track' }, h('div', {
      class: `bar${span.status === 'error' ? ' error' : ''}`,
      style: `left:${((span.startMillis - start) / total) * 100}%;width:${Math.max(0.5, (span.durationMillis / total) * 100)}%;background:${serviceColor(span.service)}`,
    }));
    return h('div', { class: `span-row${span.status === 'error' ? ' error' : ''}`, 'data-testid': 'span-row', 'data-service': span.service },
      h('div', { class: 'span-head', onclick: () => (details.hidden = !details.hidden) },
        h('div', { class: 'span-name', title: `${span.service} ${span.name}`, style: `padding-left:${depth * 16}px` },
          h('span', { class: 'dot', style: `background:${serviceColor(span.service)}` }), h('b', {}, span.service), ' ', span.name,
          span.status === 'error' ? h('span', { class: 'badge' }, span.statusMessage || 'error') : ''),
        bar, h('div', { class: 'num' }, formatMillis(span.durationMillis))),
      h('div', { style: `padding-left:${depth * 16 + 18}px` }, (logsBySpan.get(span.spanId) ?? []).map(logLine)),
      details);
  });
  main.append(h('div', { class: 'waterfall', 'data-testid': 'waterfall' }, rows));
  const orphans = logs.filter((record) => !spans.some((span) => span.spanId === record.spanId));
  if (orphans.length) main.append(h('h3', {}, 'Log lines of spans not received'), orphans.map(logLine));
  main.append(h('p', {}, h('a', { href: '#', onclick: (event) => { event.preventDefault(); navigate('traces'); } }, '← all traces')));
}
