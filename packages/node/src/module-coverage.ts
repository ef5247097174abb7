import type { Diagnostics, ResolvedConfig } from '@threadline/core';
import { LOADER_HOOKED_PACKAGES, alreadyLoaded, appModuleHandOver } from '@threadline/core';
import type { BundleMarker } from './bundle-detection';

/**
 * Says once what a bundled app does not get: each enabled client or logger instrumentation
 * that hooks Node's module loader, whose package was neither handed over
 * (`start({ modules })`) nor kept external by the bundler plugin nor loaded through `require`.
 * Also names every handed-over package that could not be instrumented, bundled or not.
 */
export function reportModuleCoverage(config: ResolvedConfig, diagnostics: Diagnostics, bundle: BundleMarker | undefined): void {
  const { instrumented, refused } = appModuleHandOver();
  for (const [name, reason] of refused) diagnostics.warnOnce(`module-refused:${name}`, `could not instrument the ${name} given to start({ modules }): ${reason}`);
  if (!bundle) return;
  const missing = packagesLostToBundle(config, bundle);
  if (missing.length === 0) {
    diagnostics.debug(`bundled app (${bundle.bundler}): instrumented from exports: ${[...instrumented].join(', ') || 'none'}; external: ${bundle.external.join(', ') || 'none'}`);
    return;
  }
  diagnostics.warnOnce(
    'bundled-app',
    `this app is bundled (${bundle.bundler}): ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not instrumented ` +
      'if bundled into it: keep them external or pass them to start({ modules }); see docs/bundling.md',
  );
}

/**
 * The enabled loader-hooked packages a bundle may carry inside it uninstrumented: neither
 * handed over, nor kept external by the plugin, nor loaded through `require`.
 */
export function packagesLostToBundle(config: ResolvedConfig, bundle: BundleMarker): string[] {
  const { instrumented, refused } = appModuleHandOver();
  return LOADER_HOOKED_PACKAGES.filter(
    (name) =>
      config.instrumentations.includes(name) &&
      !instrumented.has(name) &&
      !refused.has(name) &&
      !bundle.external.includes(name) &&
      !alreadyLoaded(name),
  );
}
