import type { MouseEvent, ReactNode } from 'react';

/**
 * A control for the mouse only, inside a result (a listbox option). ARIA
 * reads an option as its label, and a focusable control inside one, even at
 * tabIndex -1, is one a screen reader can land on but not use, and a click
 * would move focus out of the list's keyboard model. Keyboard and
 * screen-reader users have the same action elsewhere (Enter, Space or →,
 * and the preview pane's buttons), so this one is neither focusable nor
 * announced: the result's label says what it shows.
 */
export function MouseAction(props: {
  className: string;
  onClick(e: MouseEvent<HTMLSpanElement>): void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <span
      className={`mouse-action ${props.className}`}
      aria-hidden="true"
      onClick={props.onClick}
      data-testid={props.testId}
    >
      {props.children}
    </span>
  );
}
