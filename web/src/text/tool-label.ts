const builtInLabels: Record<string, string> = { calculator: 'Calculator', fetch_data: 'Data lookup' };

export interface ToolLabel {
  label: string;
  /** The MCP server a `<server>__<tool>` name comes from. */
  server?: string;
}

/** How a tool card names a tool: built-ins by their label, MCP tools by their own name and their server. */
export function toolLabel(name: string): ToolLabel {
  const builtIn = builtInLabels[name];
  if (builtIn !== undefined) return { label: builtIn };
  const separator = name.indexOf('__');
  if (separator <= 0 || separator + 2 >= name.length) return { label: name };
  return { label: name.slice(separator + 2), server: name.slice(0, separator) };
}
