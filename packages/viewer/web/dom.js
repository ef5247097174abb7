// Small helpers shared by the views: element building, the JSON API, formatting.

/** h('div', { class: 'x', onclick }, child, 'text') */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (value !== undefined) element.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) if (child) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

export async function api(path) {
  const answer = await fetch(`/api/${path}`);
  if (!answer.ok) throw new Error(`${path}: HTTP ${answer.status}`);
  return answer.json();
}

export const formatMillis = (value) => (value === null || value === undefined ? '-' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
export const formatTime = (millis) => new Date(millis).toISOString().slice(11, 23);
export const formatPercent = (share) => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;

/** A stable colour per service name. */
export function serviceColor(service) {
  let hash = 0;
  for (const char of service) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `hsl(${(hash % 12) * 30} 55% 45%)`;
}

/** The current hash route: `#/logs?q=...` -> { view: 'logs', id: undefined, params }. */
export function currentRoute() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [view = 'traces', id] = path.split('/');
  return { view: view || 'traces', id, params: new URLSearchParams(query) };
}

export function navigate(view, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== '' && value !== undefined)).toString();
  location.hash = `#/${view}${query ? `?${query}` : ''}`;
}

export const traceLink = (traceId, text = traceId.slice(0, 12)) => h('a', { href: `#/trace/${traceId}`, class: 'mono', 'data-testid': 'trace-link' }, text);
