/** `String.prototype.isWellFormed` (Node 20 has it; the project's ES2023 lib does not declare it). */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
