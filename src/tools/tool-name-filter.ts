/**
 * The operator's allow and deny lists (TOOLS_ALLOW, TOOLS_DENY) as one decision. A pattern is
 * a tool name in which `*` stands for any run of characters (`github__*`). Deny wins; with an
 * allow list, only the tools it names are offered.
 */
export function createToolNameFilter(allow: readonly string[] | undefined, deny: readonly string[]): (name: string) => boolean {
  const allowed = allow === undefined ? null : allow.map(patternToRegExp);
  const denied = deny.map(patternToRegExp);
  return (name) => !denied.some((pattern) => pattern.test(name)) && (allowed === null || allowed.some((pattern) => pattern.test(name)));
}

/** What a pattern may hold: the characters of tool names, and `*`. */
export const toolNamePattern = /^[A-Za-z0-9_.*-]{1,128}$/;

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.]/g, '\\.')).join('.*');
  return new RegExp(`^${escaped}$`);
}
