// Logs by field: `level:error AND service:orders AND request_id:...`, `accountType:enterprise`.
import { api, formatTime, h, navigate, traceLink } from './dom.js';

const EXAMPLES = ['level:error', 'level:error AND service:orders', 'accountType:enterprise', 'feature_flags.new-pricing:true'];
// Shown elsewhere in the row (request ID) or too long for it (the stack is the row's tooltip).
const HIDDEN = new Set(['request.id', 'event', 'error.stack']);

export async function renderLogs(main, { params }) {
  const query = params.get('q') ?? '';
  const input = h('input', { name: 'q', value: query, class: 'query', placeholder: 'level:error AND service:orders AND request_id:...', 'data-testid': 'log-query' });
  main.append(h('form', { class: 'filters', onsubmit: (event) => {
    event.preventDefault();
    navigate('logs', { q: input.value });
  } }, input, h('button', { type: 'submit', 'data-testid': 'log-search' }, 'Search')),
  h('p', { class: 'muted' }, 'try: ', EXAMPLES.map((example) => [h('a', { href: `#/logs?q=${encodeURIComponent(example)}` }, example), ' '])));
  const { total, records } = await api(`logs?q=${encodeURIComponent(query)}&limit=300`);
  main.append(h('p', { class: 'muted', 'data-testid': 'log-count' }, `${total} matching log records${total > records.length ? `, newest ${records.length} shown` : ''}`));
  const rows = records.map((record) => h('tr', { class: `level-${record.level}`, 'data-testid': 'log-row', title: record.attributes['error.stack'] },
    h('td', { class: 'mono' }, formatTime(record.timeMillis)),
    h('td', {}, h('b', {}, record.level)),
    h('td', {}, record.service),
    h('td', {}, record.body),
    h('td', { class: 'fields' }, Object.entries(record.attributes).filter(([key]) => !HIDDEN.has(key))
      .map(([key, value]) => h('span', { class: 'field' }, `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`))),
    h('td', {}, record.requestId ? h('a', { class: 'mono', href: `#/logs?q=${encodeURIComponent(`request_id:${record.requestId}`)}` }, record.requestId.slice(0, 12)) : ''),
    h('td', {}, record.traceId ? traceLink(record.traceId) : '')));
  main.append(h('table', { 'data-testid': 'log-table', 'data-query': query },
    h('thead', {}, h('tr', {}, ['time', 'level', 'service', 'event', 'fields', 'request_id', 'trace'].map((name) => h('th', {}, name)))),
    h('tbody', {}, rows)));
}
