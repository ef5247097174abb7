export type { BundleMarker, ThreadlinePluginOptions } from './types';
export { threadlineEsbuildPlugin } from './esbuild-plugin';
export { ThreadlineWebpackPlugin } from './webpack-plugin';
export { INSTRUMENTED_PACKAGES, createExternalMatcher } from './external-packages';
export { bundleMarkerFooter } from './bundle-marker';
