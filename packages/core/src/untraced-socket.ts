import type { Socket } from 'node:net';

const UNTRACED = Symbol.for('threadline.untraced-socket');

/**
 * Marks a connection to a server Threadline runs itself (the Prometheus scrape endpoint): its
 * requests are telemetry about the app, not the app's own traffic, so they get no span and no
 * request metric (a scrape counted as a request would skew every rate).
 */
export function markUntraced(socket: Socket): void {
  (socket as Socket & { [UNTRACED]?: boolean })[UNTRACED] = true;
}

export function isUntraced(socket: Socket | undefined): boolean {
  return (socket as (Socket & { [UNTRACED]?: boolean }) | undefined)?.[UNTRACED] === true;
}
