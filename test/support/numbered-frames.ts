import type { ServerFrame } from '../../src/protocol/index.js';
import type { TestClient } from './test-client.js';

/** The numbered frames of the conversation: not the `session` frame, nor `title` notices, which come when they are written. */
export const numberedFrames = (client: TestClient): ServerFrame[] => client.frames.filter((frame) => frame.type !== 'session' && frame.type !== 'title');
