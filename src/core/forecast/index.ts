export * from './accuracy.js';
export * from './baselines.js';
export * from './bookings.js';
export * from './ets.js';
export * from './nelder-mead.js';
export * from './normal.js';
export * from './pipeline.js';
export * from './time-series.js';
