/**
 * Set on the pino instances Threadline creates (their children inherit it), for the in-place
 * injection, which sees every logger of a pino copy and must leave Threadline's own alone.
 */
export const OWN_PINO_LOGGER = Symbol.for('threadline.own-pino-logger');
