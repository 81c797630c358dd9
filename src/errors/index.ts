export * from './error-codes.js';
export * from './parley-error.js';
