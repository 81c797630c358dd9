export * from './session-id.js';
export * from './client-frame.js';
export * from './server-frame.js';
export * from './history.js';
export * from './well-formed-text.js';
export * from './history-from-events.js';
export * from './attachment.js';
export * from './attachments-of.js';
