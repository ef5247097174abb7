/** Kept in step with package.json by the release process; reported as `telemetry.distro.version`. */
export const THREADLINE_VERSION = '0.1.0';
