import { useEffect, useId, useState } from 'react';
import type { FilterOperator } from '../../../api/types';
import type { FilterableField } from './FiltersEditor';
import { fieldKind, operatorLabels, operatorsFor, type DraftCondition } from './filter-operators';

/** The text a field is picked by: its label, with the API name when two fields share a label. */
export function fieldChoiceText(field: FilterableField, fields: FilterableField[]): string {
  const shared = fields.some((other) => other !== field && other.label === field.label);
  return shared ? `${field.label} (${field.name})` : field.label;
}

interface Props {
  index: number;
  draft: DraftCondition;
  fields: FilterableField[];
  /** The API's message about this condition, shown under it. */
  error?: string;
  /** Just added by the person: the field box takes the focus. */
  focusOnMount?: boolean;
  onChange: (draft: DraftCondition) => void;
  onRemove: () => void;
}

/** One condition: the CRM field (searched by label), an operator that fits its type, and a value input that fits both. */
export function FilterConditionRow({ index, draft, fields, error, focusOnMount, onChange, onRemove }: Props) {
  const id = useId();
  const field = fields.find((candidate) => candidate.name === draft.field);
  const [typed, setTyped] = useState(field ? fieldChoiceText(field, fields) : draft.field);
  // A saved condition can mount before the CRM's fields have loaded, showing its API name: once they
  // arrive, show the label the person picks fields by (unless they have typed something else since).
  const shown = field ? fieldChoiceText(field, fields) : null;
  useEffect(() => {
    if (shown) setTyped((current) => (current === draft.field ? shown : current));
  }, [shown, draft.field]);
  const number = index + 1;
  const operators = operatorsFor(field);
  const kind = fieldKind(field);
  const errorId = `${id}-error`;
  const described = error ? errorId : undefined;

  const pickField = (text: string) => {
    setTyped(text);
    const picked = fields.find((candidate) => fieldChoiceText(candidate, fields) === text)
      ?? fields.find((candidate) => candidate.name === text);
    if (!picked || picked.name === draft.field) return;
    const allowed = operatorsFor(picked);
    onChange({
      ...draft,
      field: picked.name,
      operator: allowed.includes(draft.operator) ? draft.operator : allowed[0]!,
      text: fieldKind(picked) === 'boolean' ? 'true' : '',
      list: [],
    });
  };

  return (
    <li className="pcrm-filter-row" aria-label={`Condition ${number}`}>
      <div className="pcrm-filter-row__controls">
        <div className="pcrm-field pcrm-filter-row__field">
          <label htmlFor={`${id}-field`}>Field</label>
          <input
            id={`${id}-field`}
            className="pcrm-input"
            list={`${id}-fields`}
            value={typed}
            placeholder="Search fields"
            autoComplete="off"
            // Only right after "Add a condition": that is where the person is headed.
            autoFocus={focusOnMount}
            aria-invalid={typed !== '' && !field ? true : undefined}
            aria-describedby={described}
            onChange={(event) => pickField(event.target.value)}
          />
          <datalist id={`${id}-fields`}>
            {fields.map((candidate) => <option key={candidate.name} value={fieldChoiceText(candidate, fields)}>{candidate.name}</option>)}
          </datalist>
        </div>
        <div className="pcrm-field pcrm-filter-row__operator">
          <label htmlFor={`${id}-operator`}>Condition</label>
          <select
            id={`${id}-operator`}
            className="pcrm-input"
            value={draft.operator}
            onChange={(event) => onChange({ ...draft, operator: event.target.value as FilterOperator })}
          >
            {operators.map((operator) => <option key={operator} value={operator}>{operatorLabels[operator]}</option>)}
          </select>
        </div>
        <ValueInput id={id} draft={draft} field={field} kind={kind} described={described} invalid={Boolean(error)} onChange={onChange} />
        <button type="button" className="pcrm-button pcrm-button--small pcrm-button--danger pcrm-filter-row__remove" onClick={onRemove}>
          Remove<span className="pcrm-visually-hidden"> condition {number}</span>
        </button>
      </div>
      {error && <p id={errorId} className="pcrm-field__error">{error}</p>}
    </li>
  );
}

function ValueInput({ id, draft, field, kind, described, invalid, onChange }: {
  id: string; draft: DraftCondition; field: FilterableField | undefined; kind: ReturnType<typeof fieldKind>;
  described?: string; invalid: boolean; onChange: (draft: DraftCondition) => void;
}) {
  const { operator } = draft;
  if (operator === 'known' || operator === 'unknown') return null;
  const common = { className: 'pcrm-input', 'aria-describedby': described, 'aria-invalid': invalid || undefined };

  if (kind === 'enumeration' && operator === 'in') {
    const toggle = (value: string, on: boolean) =>
      onChange({ ...draft, list: on ? [...draft.list, value] : draft.list.filter((item) => item !== value) });
    return (
      <fieldset className="pcrm-filter-row__options" aria-describedby={described}>
        <legend>Values</legend>
        {field!.options!.map((option) => (
          <label key={option.value} className="pcrm-filter-row__option">
            <input type="checkbox" checked={draft.list.includes(option.value)} onChange={(event) => toggle(option.value, event.target.checked)} />
            <span>{option.label}</span>
          </label>
        ))}
      </fieldset>
    );
  }

  let input;
  if (kind === 'enumeration') {
    input = (
      <select id={`${id}-value`} {...common} value={draft.text} onChange={(event) => onChange({ ...draft, text: event.target.value })}>
        <option value="">Choose…</option>
        {field!.options!.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </select>
    );
  } else if (kind === 'boolean') {
    input = (
      <select id={`${id}-value`} {...common} value={draft.text} onChange={(event) => onChange({ ...draft, text: event.target.value })}>
        <option value="true">Yes</option>
        <option value="false">No</option>
      </select>
    );
  } else {
    const type = kind === 'date' ? 'date' : kind === 'number' ? 'number' : 'text';
    input = (
      <input
        id={`${id}-value`}
        {...common}
        type={type}
        inputMode={kind === 'number' ? 'decimal' : undefined}
        step={kind === 'number' ? 'any' : undefined}
        value={draft.text}
        placeholder={operator === 'in' ? 'One, two, three' : undefined}
        onChange={(event) => onChange({ ...draft, text: event.target.value })}
      />
    );
  }
  return (
    <div className="pcrm-field pcrm-filter-row__value">
      <label htmlFor={`${id}-value`}>{operator === 'in' ? 'Values (comma-separated)' : 'Value'}</label>
      {input}
    </div>
  );
}
