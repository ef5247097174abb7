/** Options of both plugins. */
export interface ThreadlinePluginOptions {
  /**
   * Instrumented packages to bundle anyway (for example to ship without node_modules); hand
   * them to `start({ modules })` so they keep their signals. The rest stay external.
   */
  bundle?: readonly string[];
}

/** The object the bundle's footer stores for Threadline's start-up report. */
export interface BundleMarker {
  bundler: 'esbuild' | 'webpack';
  /** Instrumented packages left to Node's module loader. */
  external: string[];
}
