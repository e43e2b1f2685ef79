import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A native modal <dialog>: the browser makes the page behind it inert (focus stays inside) and
 * Escape cancels it. Focus starts on `initialFocus` (an element id) and goes back to whatever opened
 * it when it closes.
 */
export function Modal({ isOpen, onClose, labelledBy, initialFocus, children }: { isOpen: boolean; onClose: () => void; labelledBy: string; initialFocus?: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !isOpen) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    // The browser would focus the first control, the × in the header; start at the content instead.
    if (initialFocus) document.getElementById(initialFocus)?.focus();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, [isOpen, initialFocus]);

  return (
    <dialog
      ref={ref}
      className="pcrm pcrm-dialog"
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {isOpen && children}
    </dialog>
  );
}
