/**
 * The offline model answers from rules, not knowledge: say so, and how to connect a real
 * one. Open on a new conversation, a single line once the conversation has started.
 */
export function ModelNote({ open }: { open: boolean }) {
  return (
    <details class="model-note" open={open} aria-label="About the offline model">
      <summary>
        <strong>You are talking to Parley's built-in offline model.</strong>
      </summary>
      <p>
        It needs no network and can do arithmetic, look up sample data and recall this conversation, but it is not a
        real language model. To use one, set <code>GEMINI_API_KEY</code>, or <code>OPENAI_BASE_URL</code>,{' '}
        <code>OPENAI_API_KEY</code> and <code>OPENAI_MODEL</code> (OpenAI, Ollama, vLLM, LM Studio…) in the server's
        environment or <code>.env</code>, then restart it.
      </p>
    </details>
  );
}
