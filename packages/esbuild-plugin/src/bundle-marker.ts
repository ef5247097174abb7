import type { BundleMarker } from './types';

/**
 * The footer both plugins put at the end of a bundle: it tells Threadline that the app is
 * bundled and which instrumented packages were kept external, so that its start-up report of
 * what could not be instrumented is exact. A footer, not a banner, so the bundle's
 * `"use strict"` stays its first statement; it runs at the end of the bundle's top-level code,
 * before the report (which waits one turn of the event loop). Threadline left a function under
 * the key when it started first; otherwise the marker waits there.
 */
export function bundleMarkerFooter(marker: BundleMarker): string {
  return (
    `{const k=Symbol.for('threadline.bundle'),m=${JSON.stringify(marker)};` +
    `typeof globalThis[k]==='function'?globalThis[k](m):(globalThis[k]=m);}`
  );
}
