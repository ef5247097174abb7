import { bundleMarkerFooter } from './bundle-marker';
import { createExternalMatcher } from './external-packages';
import type { ThreadlinePluginOptions } from './types';

type ExternalsCallback = (error?: Error | null, result?: string) => void;
type ExternalsFunction = (data: { request?: string }, callback: ExternalsCallback) => void;

/** The parts of webpack's compiler this uses (webpack is not a dependency of this package). */
interface WebpackCompiler {
  options: { output?: { module?: boolean } };
  webpack: {
    ExternalsPlugin: new (type: string | undefined, externals: ExternalsFunction) => { apply(compiler: WebpackCompiler): void };
    BannerPlugin: new (options: { banner: string; raw: boolean; entryOnly: boolean; footer: boolean }) => { apply(compiler: WebpackCompiler): void };
  };
}

/**
 * The webpack counterpart of the esbuild plugin: the same packages stay external (loaded by
 * Node's `require` at run time), and the same marker goes at the end of each entry chunk.
 *
 * ```js
 * // webpack.config.js
 * plugins: [new ThreadlineWebpackPlugin()], target: 'node'
 * ```
 */
export class ThreadlineWebpackPlugin {
  constructor(private readonly options: ThreadlinePluginOptions = {}) {}

  apply(compiler: WebpackCompiler): void {
    const matcher = createExternalMatcher(this.options.bundle);
    // An ES module bundle cannot `require`; `node-commonjs` makes one with `createRequire`.
    const type = compiler.options.output?.module ? 'node-commonjs' : 'commonjs';
    new compiler.webpack.ExternalsPlugin(type, ({ request }, callback) =>
      request && matcher.isExternal(request) ? callback(null, request) : callback(),
    ).apply(compiler);
    const banner = bundleMarkerFooter({ bundler: 'webpack', external: matcher.keptExternal });
    new compiler.webpack.BannerPlugin({ banner, raw: true, entryOnly: true, footer: true }).apply(compiler);
  }
}
