export * from './allocate.js';
export * from './largest-remainder.js';
export * from './overrides.js';
export * from './ramp.js';
export * from './recommend.js';
export * from './seasonality.js';
export * from './version.js';
