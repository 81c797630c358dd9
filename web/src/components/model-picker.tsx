import type { ModelOption } from '../state/chat-state.js';

interface Props {
  models: readonly ModelOption[];
  /** The session's model (`provider:model`). */
  current: string | undefined;
  onPick: (id: string) => void;
}

/**
 * The header's model choice when the server offers more than one (LLM_MODELS): a native
 * select, so the keyboard and screen readers work as everywhere else. The pick goes with the
 * next message, and the session keeps it.
 */
export function ModelPicker({ models, current, onPick }: Props) {
  return (
    <label class="model model-picker">
      <span class="visually-hidden">Model</span>
      <select value={current} title="The model that answers your next message" onChange={(event) => onPick(event.currentTarget.value)}>
        {models.map((option) => (
          <option key={option.id} value={option.id}>
            {option.provider} · {option.model}
          </option>
        ))}
      </select>
    </label>
  );
}
