import type { Diagnostics, InstrumentationName, ModuleTarget } from '@threadline/core';
import { watchFirstLoads } from '@threadline/core';
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

/** Watches for the configured frameworks' first load; returns the function that stops watching. */
export function enableFrameworkPatches(names: readonly InstrumentationName[], diagnostics: Diagnostics): () => void {
  const targets = names.flatMap((name) => FRAMEWORK_TARGETS[name] ?? []);
  if (targets.length === 0) return () => {};
  return watchFirstLoads(targets, (error) => diagnostics.suppressed('could not instrument a web framework', error));
}
