import { useEffect, useState } from 'preact/hooks';

export type AttachmentsUi = typeof import('./attachments-ui.js');

let loading: Promise<AttachmentsUi> | null = null;

/** Loads the attachment parts once, for every component that asks. */
export function loadAttachmentsUi(): Promise<AttachmentsUi> {
  loading ??= import('./attachments-ui.js');
  return loading;
}

/** The attachment parts once `needed` (they stay out of the page's first load); null until then. */
export function useAttachmentsUi(needed: boolean): AttachmentsUi | null {
  const [ui, setUi] = useState<AttachmentsUi | null>(null);
  useEffect(() => {
    if (needed && ui === null) void loadAttachmentsUi().then(setUi);
  }, [needed, ui]);
  return ui;
}
