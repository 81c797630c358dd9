/** Every Redis key and channel of one deployment, under REDIS_KEY_PREFIX. */
export interface ClusterKeys {
  /** Which instance runs the session (its lease). */
  lease(sessionId: string): string;
  /** The frames of the session's turn in progress (a Redis Stream). */
  turnStream(sessionId: string): string;
  /** The session's owner let it go (its followers take it over); frames go to each follower's instance channel. */
  sessionChannel(sessionId: string): string;
  /** Messages to one instance: follow requests, forwarded frames, welcomes, replies, and mirrored frames in bundles. */
  instanceChannel(instanceId: string): string;
  /** Present while the instance lives. */
  instanceAlive(instanceId: string): string;
  /** Titles and deletions of sessions, heard by every instance (session-notices.ts). */
  notices: string;
}

export function clusterKeys(prefix: string): ClusterKeys {
  return {
    lease: (sessionId) => `${prefix}lease:${sessionId}`,
    turnStream: (sessionId) => `${prefix}turn:${sessionId}`,
    sessionChannel: (sessionId) => `${prefix}session:${sessionId}`,
    instanceChannel: (instanceId) => `${prefix}instance:${instanceId}`,
    instanceAlive: (instanceId) => `${prefix}alive:${instanceId}`,
    notices: `${prefix}notices`,
  };
}
