import type { ReactNode } from 'react';

/** Loading, empty and error states share one look so nothing jumps between them. */
export function Loading({ label, lines = 3 }: { label: string; lines?: number }) {
  return (
    <div className="pcrm-loading" role="status" aria-live="polite">
      <span className="pcrm-visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, i) => <span key={i} className="pcrm-skeleton" aria-hidden="true" />)}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="pcrm-empty">
      <p className="pcrm-empty__title">{title}</p>
      {children}
    </div>
  );
}

export function ErrorNotice({ message, onRetry, title = 'Something went wrong' }: { message: string; onRetry?: () => void; title?: string }) {
  return (
    <div className="pcrm-alert pcrm-alert--error" role="alert">
      <p><strong>{title}.</strong> {message}</p>
      {onRetry && <button type="button" className="pcrm-button pcrm-button--small" onClick={onRetry}>Try again</button>}
    </div>
  );
}
