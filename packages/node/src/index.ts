export type { ThreadlineHandle } from './types';
export type { LifecycleResult, ResolvedConfig, ThreadlineOptions } from '@threadline/core';
export { start } from './start';
