// Plain SVG line charts with optional exemplar dots.
import { svg } from './dom.js';

const WIDTH = 360;
const HEIGHT = 120;
const PAD = { left: 44, right: 8, top: 16, bottom: 18 };

/** lines: [{ points: [[x, y]], color }]; dots: [{ x, y, color, title, onclick }] */
export function lineChart({ title, lines, dots = [], xRange, format }) {
  const ys = [...lines.flatMap((line) => line.points.map(([, y]) => y)), ...dots.map((dot) => dot.y)].filter((y) => y !== null);
  const maxY = Math.max(...ys, 0) || 1;
  const [x0, x1] = xRange;
  const spanX = Math.max(1, x1 - x0);
  const px = (x) => PAD.left + ((x - x0) / spanX) * (WIDTH - PAD.left - PAD.right);
  const py = (y) => HEIGHT - PAD.bottom - (y / maxY) * (HEIGHT - PAD.top - PAD.bottom);
  const paths = lines.map((line) => {
    const d = line.points.filter(([, y]) => y !== null).map(([x, y], index) => `${index ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
    return d ? svg('path', { d, fill: 'none', stroke: line.color, 'stroke-width': 1.8 }) : null;
  });
  const circles = dots.map((dot) => svg('circle', {
    cx: px(dot.x).toFixed(1), cy: py(dot.y).toFixed(1), r: 4, fill: dot.color, class: 'exemplar', onclick: dot.onclick,
    'data-testid': dot.testId, 'data-trace-id': dot.traceId,
  }, svg('title', {}, dot.title)));
  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img' },
    svg('text', { x: PAD.left, y: 11, class: 'chart-title' }, title),
    svg('line', { x1: PAD.left, y1: HEIGHT - PAD.bottom, x2: WIDTH - PAD.right, y2: HEIGHT - PAD.bottom, class: 'axis' }),
    svg('text', { x: PAD.left - 4, y: PAD.top + 4, class: 'tick', 'text-anchor': 'end' }, format(maxY)),
    svg('text', { x: PAD.left - 4, y: HEIGHT - PAD.bottom, class: 'tick', 'text-anchor': 'end' }, format(0)),
    svg('text', { x: PAD.left, y: HEIGHT - 4, class: 'tick' }, new Date(x0).toISOString().slice(11, 19)),
    svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 4, class: 'tick', 'text-anchor': 'end' }, new Date(x1).toISOString().slice(11, 19)),
    paths, circles);
}
