import { useRef, type KeyboardEvent } from 'react';

interface Props<T extends string> {
  label: string;
  /** `badge`: a short figure after the label (a count), part of the tab's name. */
  items: { id: T; label: string; badge?: string }[];
  selected: T;
  onSelect: (id: T) => void;
  /** Prefix of each tab's id (`${idPrefix}-${item.id}`), for the panel's aria-labelledby. */
  idPrefix: string;
  panelId: string;
  className?: string;
}

/**
 * Tabs as the ARIA Authoring Practices describe them: one tab stop (the selected tab), arrow keys
 * move between tabs and select them, Home and End jump to the ends.
 */
export function Tabs<T extends string>({ label, items, selected, onSelect, idPrefix, panelId, className }: Props<T>) {
  const list = useRef<HTMLDivElement>(null);
  const move = (event: KeyboardEvent) => {
    const index = items.findIndex((item) => item.id === selected);
    const next = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = items[(next + items.length) % items.length]!;
    onSelect(target.id);
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(`${idPrefix}-${target.id}`)}`)?.focus();
  };
  return (
    <div ref={list} className={className} role="tablist" aria-label={label} onKeyDown={move}>
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="tab"
          id={`${idPrefix}-${item.id}`}
          aria-selected={item.id === selected}
          aria-controls={panelId}
          tabIndex={item.id === selected ? 0 : -1}
          onClick={() => onSelect(item.id)}
        >
          {item.label}
          {item.badge && <span className="pcrm-tab-badge"> {item.badge}</span>}
        </button>
      ))}
    </div>
  );
}
