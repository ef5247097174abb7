export type { ThreadlineHandle } from './types';
export type { LifecycleResult, ResolvedConfig, ThreadlineOptions } from '@threadline/core';
export { getTelemetry, start } from './start';
export type { Logger, LogFields, LogLevelName } from '@threadline/log-correlation';
export type { RequestAttributeValue } from '@threadline/core';
export { logger } from './logger';
export { getRequestId, recordFeatureFlag, setRequestAttributes } from '@threadline/core';
export { metrics } from '@threadline/metrics';
