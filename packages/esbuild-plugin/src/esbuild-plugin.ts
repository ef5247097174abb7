import type { Plugin } from 'esbuild';
import { bundleMarkerFooter } from './bundle-marker';
import { createExternalMatcher } from './external-packages';
import type { ThreadlinePluginOptions } from './types';

/**
 * An esbuild plugin that keeps the instrumented packages, Threadline and OpenTelemetry
 * external (so Node's module loader, where the instrumentations hook in, loads them) and
 * marks the bundle for Threadline's start-up report.
 *
 * ```js
 * await build({ entryPoints: ['server.js'], bundle: true, platform: 'node', plugins: [threadlineEsbuildPlugin()] });
 * ```
 */
export function threadlineEsbuildPlugin(options: ThreadlinePluginOptions = {}): Plugin {
  const matcher = createExternalMatcher(options.bundle);
  return {
    name: 'threadline',
    setup(build) {
      const marker = bundleMarkerFooter({ bundler: 'esbuild', external: matcher.keptExternal });
      const initial = build.initialOptions;
      initial.footer = { ...initial.footer, js: initial.footer?.js ? `${initial.footer.js}\n${marker}` : marker };
      // Bare specifiers only: a relative import can never name one of these packages.
      build.onResolve({ filter: /^[^./]/ }, (args) => (matcher.isExternal(args.path) ? { path: args.path, external: true } : undefined));
    },
  };
}
