import type { Diagnostics, EsmModuleTarget, InstrumentationName, ModuleTarget } from '@threadline/core';
import { appCanResolve, watchEsmModules, watchFirstLoads } from '@threadline/core';
import { patchExpressLayer, wrapFinalHandler } from './express-errors';
import { patchHonoContext } from './hono-route';
import { patchKoa } from './koa-route';
import { patchNestExceptionFilter } from './nest-errors';

/** A patch that changes the module's own objects, never what the app gets back. */
function patching(patch: (exports: unknown) => void): (exports: unknown) => unknown {
  return (exports) => {
    patch(exports);
    return exports;
  };
}

/**
 * Framework code that has no diagnostics channel to listen to, patched once when the app first
 * loads it (a prototype method, never per request). Each patch only adds what the server span
 * reads when the response ends: the route template's source, or the error a handler failed with.
 */
const FRAMEWORK_TARGETS: Partial<Record<InstrumentationName, readonly ModuleTarget[]>> = {
  express: [
    { packages: ['express'], onLoaded: patching(patchExpressLayer) },
    { packages: ['finalhandler'], onLoaded: wrapFinalHandler },
  ],
  koa: [{ packages: ['koa'], onLoaded: patching(patchKoa) }],
  hono: [{ packages: ['hono'], onLoaded: patching(patchHonoContext) }],
  nestjs: [{ packages: ['@nestjs/core'], onLoaded: patching(patchNestExceptionFilter) }],
};

/**
 * The same patches for frameworks whose ES module build an ES module app imports without
 * Node's CommonJS loader: Hono's `Context` class lives in one file that every Hono preset
 * (`hono`, `hono/tiny`, `hono/quick`) imports.
 */
const ESM_FRAMEWORK_TARGETS: Partial<Record<InstrumentationName, readonly EsmModuleTarget[]>> = {
  hono: [{ name: 'hono', path: '/node_modules/hono/dist/context.js', onLoaded: patchHonoContext }],
};

/** Watches for the configured frameworks' first load; returns the function that stops watching. */
export function enableFrameworkPatches(names: readonly InstrumentationName[], diagnostics: Diagnostics): () => void {
  const onError = (error: unknown): void => diagnostics.suppressed('could not instrument a web framework', error);
  const targets = names.flatMap((name) => FRAMEWORK_TARGETS[name] ?? []);
  const esmTargets = names.flatMap((name) => ESM_FRAMEWORK_TARGETS[name] ?? []);
  const stops = [targets.length > 0 ? watchFirstLoads(targets, onError) : undefined, esmTargets.length > 0 ? watchEsmModules(esmTargets, appCanResolve, onError) : undefined];
  return () => {
    for (const stop of stops) stop?.();
  };
}
