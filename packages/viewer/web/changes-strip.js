// "What changed": per service, the versions and flag values seen over time.
import { api, formatTime, h, svg } from './dom.js';

const WIDTH = 900;
const ROW = 32;
const LABEL = 90;

export async function renderChanges(container) {
  const { services } = await api('changes');
  const times = services.flatMap((service) => service.versions.flatMap((version) => [version.firstMillis, version.lastMillis]));
  if (times.length === 0) {
    container.replaceChildren(h('span', { class: 'muted' }, 'What changed: nothing received yet.'));
    return;
  }
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const x = (millis) => LABEL + ((millis - t0) / Math.max(1, t1 - t0)) * (WIDTH - LABEL - 10);
  const rows = services.map((service, index) => {
    const y = index * ROW;
    const versions = service.versions.map((version, versionIndex) => svg('g', { 'data-testid': 'change-version' },
      svg('rect', { x: x(version.firstMillis), y: y + 13, width: Math.max(2, x(version.lastMillis) - x(version.firstMillis)), height: ROW - 16, class: `version v${versionIndex % 4}` },
        svg('title', {}, `${service.service} ${version.version}: ${formatTime(version.firstMillis)} - ${formatTime(version.lastMillis)}, ${version.spans} spans`)),
      svg('text', { x: x(version.firstMillis) + 4, y: y + ROW - 7, class: 'version-label' }, version.version)));
    const flags = service.flags.filter((flag) => flag.value === 'true').map((flag) => svg('g', { 'data-testid': 'change-flag' },
      svg('line', { x1: x(flag.firstMillis), x2: x(flag.firstMillis), y1: y + 1, y2: y + ROW - 2, class: 'flag-mark' }),
      svg('text', { x: x(flag.firstMillis) + 3, y: y + 10, class: 'flag-label' }, `⚑ ${flag.flag} on`),
      svg('title', {}, `${flag.flag}=true first seen ${formatTime(flag.firstMillis)} (${flag.spans} spans)`)));
    return [svg('text', { x: 0, y: y + ROW - 7, class: 'service-label' }, service.service), versions, flags];
  });
  container.replaceChildren(h('div', { class: 'strip-title' }, 'What changed: versions and flags (on) seen per service, ', formatTime(t0), ' – ', formatTime(t1)),
    svg('svg', { viewBox: `0 0 ${WIDTH} ${services.length * ROW}`, class: 'strip' }, rows));
}
