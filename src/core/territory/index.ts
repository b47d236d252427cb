export * from './assignment.js';
export * from './coverage.js';
export * from './plan.js';
export * from './territory.js';
