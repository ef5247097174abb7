import type { Diagnostics, InstrumentationName, ModuleTarget } from '@threadline/core';
import { alreadyLoaded, watchFirstLoads } from '@threadline/core';

/**
 * Watches for the first load of each named client that has a definition, with the module
 * target `toTarget` builds. A client loaded before Threadline started cannot be hooked any
 * more: that is said once, by name (`what` is what goes untraced: "calls", "messages").
 * Returns the function that stops watching.
 */
export function watchClientLoads<Definition extends { packages: readonly string[] }>(
  names: readonly InstrumentationName[],
  definitions: Partial<Record<InstrumentationName, Definition>>,
  diagnostics: Diagnostics,
  what: { untraced: string; failure: string },
  toTarget: (definition: Definition) => ModuleTarget,
): () => void {
  const targets: ModuleTarget[] = [];
  for (const name of names) {
    const definition = definitions[name];
    if (!definition) continue;
    const early = definition.packages.find((packageName) => alreadyLoaded(packageName));
    if (early) {
      diagnostics.warn(`${early} was loaded before Threadline started: its ${what.untraced} will not be traced; start Threadline first`);
      continue;
    }
    targets.push(toTarget(definition));
  }
  return targets.length > 0 ? watchFirstLoads(targets, (error) => diagnostics.suppressed(what.failure, error)) : () => {};
}
