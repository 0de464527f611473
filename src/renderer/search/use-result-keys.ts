import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';

export interface ResultKeysOptions {
  /** Results shown. */
  count: number;
  /** Changes whenever a new list of results arrives: the selection goes back to the first. */
  listKey: unknown;
  open(index: number): void;
  /** Esc with nothing else to close: clear the query (the search screen), or hide the window (quick search). */
  escape(): void;
  /** The search box, which keeps focus while the person types (printable keys in the list go back to it). */
  inputId: string;
}

export interface ResultKeys {
  /** The selected result, or -1. */
  active: number;
  setActive(index: number): void;
  previewOpen: boolean;
  setPreviewOpen(open: boolean): void;
  onInputKeyDown(e: KeyboardEvent<HTMLInputElement>): void;
  onListKeyDown(e: KeyboardEvent<HTMLElement>): void;
}

/**
 * The keyboard model of a result list (a combobox: focus stays in the box
 * while ↑/↓ move the selection). ↑/↓ select, Enter opens, → (at the end of
 * the query) or Space (on the list) toggles the preview, Esc closes the
 * preview, then clears (or hides). The list itself is focusable and takes
 * the same keys, typing there goes back to the box.
 */
export function useResultKeys(options: ResultKeysOptions): ResultKeys {
  const { count, listKey, open, escape, inputId } = options;
  const [active, setActive] = useState(-1);
  const [previewOpen, setPreviewOpen] = useState(false);

  useEffect(() => {
    setActive(count > 0 ? 0 : -1);
    // A new query's results: keep the preview open only if there is something to preview.
    if (count === 0) setPreviewOpen(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new list resets the selection, not a longer one
  }, [listKey]);

  const move = useCallback(
    (by: number) => setActive((a) => (count === 0 ? -1 : Math.min(count - 1, Math.max(0, a + by)))),
    [count],
  );

  const common = (e: KeyboardEvent<HTMLElement>): boolean => {
    switch (e.key) {
      case 'ArrowDown':
        move(1);
        return true;
      case 'ArrowUp':
        move(-1);
        return true;
      case 'PageDown':
        move(5);
        return true;
      case 'PageUp':
        move(-5);
        return true;
      case 'Enter':
        if (active < 0) return false;
        open(active);
        return true;
      case 'Escape':
        if (previewOpen) setPreviewOpen(false);
        else escape();
        return true;
      default:
        return false;
    }
  };

  return {
    active,
    setActive,
    previewOpen,
    setPreviewOpen,
    onInputKeyDown(e) {
      if (e.nativeEvent.isComposing) return;
      const input = e.currentTarget;
      const atEnd = input.selectionStart === input.value.length && input.selectionEnd === input.value.length;
      if (e.key === 'ArrowRight' && atEnd && active >= 0) {
        e.preventDefault();
        setPreviewOpen(!previewOpen);
        return;
      }
      if (common(e)) e.preventDefault();
    },
    onListKeyDown(e) {
      if ((e.key === ' ' || e.key === 'ArrowRight') && active >= 0) {
        e.preventDefault();
        setPreviewOpen(!previewOpen);
        return;
      }
      if (e.key === 'ArrowLeft' && previewOpen) {
        e.preventDefault();
        setPreviewOpen(false);
        return;
      }
      if (common(e)) {
        e.preventDefault();
        return;
      }
      // Typing on the list refines the query: the key lands in the box.
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) document.getElementById(inputId)?.focus();
    },
  };
}
