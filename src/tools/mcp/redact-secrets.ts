import { cutText } from '../../text/cut-text.js';

/**
 * A function that makes a server's own words safe to log or show in /health: every secret of
 * its entry (env values, headers) replaced, and the text bounded. Values under 4 characters
 * are left alone: replacing "1" or "on" everywhere would garble the text and hide nothing.
 */
export function createRedactor(secrets: readonly string[], maxChars = 300): (text: string) => string {
  const hidden = [...new Set(secrets.filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let safe = text;
    for (const secret of hidden) safe = safe.split(secret).join('[redacted]');
    return cutText(safe.replace(/\s+/g, ' ').trim(), maxChars, '…');
  };
}
