// The traces list: search by service, route, status, duration, trace ID, request ID and tags.
import { api, formatMillis, formatTime, h, navigate, serviceColor, traceLink } from './dom.js';

const FIELDS = [
  ['service', 'service', 'gateway'],
  ['route', 'route', '/checkout'],
  ['minDuration', 'min ms', '500'],
  ['traceId', 'trace ID', ''],
  ['requestId', 'request ID', ''],
  ['tag', 'tag', 'accountType:enterprise'],
];

function searchForm(params) {
  const inputs = FIELDS.map(([name, label, placeholder]) =>
    h('label', {}, label, h('input', { name, value: params.get(name) ?? '', placeholder, 'data-testid': `trace-filter-${name}` })));
  const status = h('select', { name: 'status', 'data-testid': 'trace-filter-status' },
    ['', 'error', 'ok'].map((value) => h('option', { value, selected: params.get('status') === value }, value || 'any')));
  const form = h('form', { class: 'filters', onsubmit: (event) => {
    event.preventDefault();
    navigate('traces', Object.fromEntries(new FormData(form)));
  } }, inputs, h('label', {}, 'status', status), h('button', { type: 'submit', 'data-testid': 'trace-search' }, 'Search'));
  return form;
}

export async function renderTraces(main, { params }) {
  main.append(searchForm(params));
  const { total, traces } = await api(`traces?${params.toString()}`);
  main.append(h('p', { class: 'muted' }, `${total} matching traces${total > traces.length ? `, newest ${traces.length} shown` : ''}`));
  const rows = traces.map((trace) => h('tr', { class: trace.status === 'error' ? 'error' : '', 'data-testid': 'trace-row', 'data-status': trace.status,
    onclick: () => navigate(`trace/${trace.traceId}`) },
  h('td', { class: 'mono' }, formatTime(trace.startMillis)),
  h('td', {}, h('span', { class: 'dot', style: `background:${serviceColor(trace.service)}` }), trace.service),
  h('td', {}, trace.route),
  h('td', {}, trace.statusCode ?? '', trace.status === 'error' ? h('span', { class: 'badge' }, 'error') : ''),
  h('td', { class: 'num' }, formatMillis(trace.durationMillis)),
  h('td', {}, `${trace.spanCount} spans: ${trace.services.join(' → ')}`),
  h('td', {}, Object.entries(trace.tags).filter(([key]) => !key.startsWith('feature_flag.')).map(([key, value]) => `${key}=${value}`).join(' ')),
  h('td', {}, traceLink(trace.traceId))));
  main.append(h('table', { 'data-testid': 'trace-table' },
    h('thead', {}, h('tr', {}, ['time', 'service', 'route', 'status', 'duration', 'spans', 'tags', 'trace'].map((name) => h('th', {}, name)))),
    h('tbody', {}, rows)));
}
