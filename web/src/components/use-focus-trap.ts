import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

const focusable = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * While `active`: focus moves into `container` and Tab and Shift+Tab go round inside it; when
 * it ends, focus goes back to where it was (the button that opened it). For the phone drawer.
 */
export function useFocusTrap(container: RefObject<HTMLElement | null>, active: boolean): void {
  useEffect(() => {
    const element = container.current;
    if (!active || !element) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const inside = () => [...element.querySelectorAll<HTMLElement>(focusable)].filter((candidate) => candidate.offsetParent !== null || candidate === document.activeElement);
    // After the drawer's slide starts: a hidden element takes no focus.
    const frame = requestAnimationFrame(() => inside()[0]?.focus());
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Tab') return;
      const items = inside();
      const first = items[0];
      const last = items.at(-1);
      if (!first || !last) return;
      const current = document.activeElement;
      if (event.shiftKey && (current === first || !element.contains(current))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (current === last || !element.contains(current))) {
        event.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('keydown', onKey);
      before?.focus();
    };
  }, [active]);
}
