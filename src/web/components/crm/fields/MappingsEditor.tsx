import { useEffect, useId, useRef, useState } from 'react';
import type { CrmField, FieldMappingsDto, MappingInput, MappingsPreview, MappingsSaved, PulseFieldType, RecordKind } from '../../../api/types';
import { ApiError } from '../../../api/client';
import { usePulseCrm } from '../PulseCrmProvider';
import { problemsByRow, suggestedName } from './mapping-problems';

/** The server's type list (src/sync/custom-fields.ts pulseFieldTypes); every one is offered, the API says which pairs it refuses. */
const pulseTypes: PulseFieldType[] = ['text', 'number', 'currency', 'date', 'datetime', 'boolean', 'enumeration', 'lookup', 'owner'];
const objectWords: Record<RecordKind, string> = { contacts: 'contacts', companies: 'companies', deals: 'deals' };

type Row = MappingInput & { key: number };
let nextKey = 0;
const rowOf = (mapping: MappingInput): Row => ({ ...mapping, key: nextKey++ });

interface Props {
  integrationId: string;
  object: RecordKind;
  crmName: string;
  fields: CrmField[] | null;
  mappings: FieldMappingsDto['objects'][number] | undefined;
  onSaved?: (saved: MappingsSaved) => void;
}

/** One CRM field, as the picker and the tables name it: its label, then its API name. */
function FieldName({ field, name }: { field?: CrmField; name: string }) {
  return (
    <span className="pcrm-fieldname">
      <span>{field?.label ?? name}</span>
      <code className="pcrm-muted">{name}</code>
    </span>
  );
}

/**
 * One object's field mappings: the registry's defaults (read-only) and the custom ones, edited as
 * rows, previewed on local records and saved. The API checks every pair; its problems show beside
 * the row they name.
 */
export function MappingsEditor({ integrationId, object, crmName, fields, mappings, onSaved }: Props) {
  const { api } = usePulseCrm();
  const id = useId();
  const [rows, setRows] = useState<Row[]>(() => (mappings?.custom ?? []).map((mapping) => rowOf({ ...mapping, options: mapping.options ?? undefined })));
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<MappingsPreview | null>(null);
  const [saved, setSaved] = useState<MappingsSaved | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const byName = new Map((fields ?? []).map((field) => [field.name, field]));
  const placed = problemsByRow(problems, rows);

  const edit = (key: number, change: Partial<MappingInput>) => {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));
    setSaved(null);
  };
  const pick = (row: Row, crmField: string) => {
    const field = byName.get(crmField);
    edit(row.key, field ? { crmField, pulseField: row.pulseField || suggestedName(field.label), pulseType: field.type } : { crmField });
  };
  const body = (): MappingInput[] => rows.map(({ key: _, ...mapping }) => mapping);

  const run = async (action: 'preview' | 'save') => {
    setBusy(action);
    setError(null);
    try {
      if (action === 'preview') {
        setPreview(await api.previewFieldMappings(integrationId, object, body()));
      } else {
        const result = await api.saveFieldMappings(integrationId, object, body());
        setSaved(result);
        onSaved?.(result);
      }
      setProblems([]);
    } catch (caught) {
      const problemList = caught instanceof ApiError && (caught.details as { problems?: unknown } | undefined)?.problems;
      if (Array.isArray(problemList)) setProblems(problemList.map(String));
      else setError((caught as Error).message);
      if (action === 'preview') setPreview(null);
    } finally {
      setBusy(null);
    }
  };

  const listId = `${id}-crm-fields`;
  return (
    <div className="pcrm-stack">
      {/* Open at first, so the defaults are reviewed; a person who knows them folds them away. */}
      <details className="pcrm-defaults" open>
      <summary className="pcrm-subtitle">Default mappings ({mappings?.defaults.length ?? 0})</summary>
      <div className="pcrm-table-scroll" role="region" tabIndex={0} aria-label={`Default mappings of ${objectWords[object]}`}>
        <table className="pcrm-table pcrm-mappings" role="table">
          <caption className="pcrm-visually-hidden">Default mappings: the unified columns every CRM fills</caption>
          <thead role="rowgroup">
            <tr role="row"><th scope="col">{crmName} field</th><th scope="col">Type</th><th scope="col">Pulse field</th><th scope="col">Direction</th></tr>
          </thead>
          <tbody role="rowgroup">
            {(mappings?.defaults ?? []).map((mapping) => {
              const field = byName.get(mapping.crmField);
              return (
                <tr key={mapping.pulseField} role="row">
                  <td role="cell" data-label={`${crmName} field`}><FieldName field={field} name={mapping.crmField} /></td>
                  <td role="cell" data-label="Type"><span>{field ? <span className="pcrm-tag">{field.type}</span> : <span className="pcrm-muted">—</span>}</span></td>
                  <td role="cell" data-label="Pulse field"><span><code>{mapping.pulseField}</code> <span className="pcrm-tag pcrm-tag--optional">default</span></span></td>
                  <td role="cell" data-label="Direction">CRM → Pulse</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      </details>

      <datalist id={listId}>
        {(fields ?? []).map((field) => (
          <option key={field.name} value={field.name} label={`${field.label} · ${field.type}${field.custom ? ' · custom' : ''}`} />
        ))}
      </datalist>
      <h4 className="pcrm-subtitle">Custom mappings</h4>
      {rows.length === 0 && <p className="pcrm-muted">None yet: only the defaults above sync. Add one to bring any other {crmName} field into <code>customFields</code>.</p>}
      {placed.general.length > 0 && <div className="pcrm-alert pcrm-alert--error" role="alert"><p>{placed.general.join(' ')}</p></div>}
      {rows.length > 0 && (
        <ol className="pcrm-mapping-rows" aria-label={`Custom mappings of ${objectWords[object]}`}>
          {rows.map((row, index) => {
            const field = byName.get(row.crmField);
            const rowProblems = placed.rows[index] ?? [];
            const base = `${id}-${row.key}`;
            const invalid = rowProblems.length > 0;
            return (
              <li key={row.key} className="pcrm-mapping-row" aria-label={`Mapping ${index + 1}${row.pulseField ? `: ${row.pulseField}` : ''}`}>
                <div className="pcrm-field">
                  <label htmlFor={`${base}-crm`}>{crmName} field</label>
                  <input id={`${base}-crm`} className="pcrm-input" list={listId} value={row.crmField} autoComplete="off" placeholder="Search by label or API name"
                    aria-invalid={invalid} aria-describedby={`${base}-about ${invalid ? `${base}-error` : ''}`.trim()}
                    onChange={(event) => pick(row, event.target.value)} />
                  <p id={`${base}-about`} className="pcrm-muted pcrm-mapping-row__about">
                    {field ? (
                      <>
                        {field.label} <span className="pcrm-tag">{field.type}</span>{field.custom && <> <span className="pcrm-tag pcrm-tag--optional">custom</span></>}
                        {field.options?.length ? <> · Options: {field.options.map((option) => option.label).join(', ')}</> : null}
                      </>
                    ) : fields ? 'Type to search the fields.' : 'Loading the fields…'}
                  </p>
                </div>
                <div className="pcrm-field">
                  <label htmlFor={`${base}-name`}>Pulse field name</label>
                  <input id={`${base}-name`} className="pcrm-input" value={row.pulseField} autoComplete="off" spellCheck={false}
                    aria-invalid={invalid} aria-describedby={invalid ? `${base}-error` : undefined}
                    onChange={(event) => edit(row.key, { pulseField: event.target.value })} />
                </div>
                <div className="pcrm-field">
                  <label htmlFor={`${base}-type`}>Pulse type</label>
                  <select id={`${base}-type`} className="pcrm-input" value={row.pulseType} aria-invalid={invalid}
                    onChange={(event) => edit(row.key, { pulseType: event.target.value as PulseFieldType })}>
                    {pulseTypes.map((type) => <option key={type} value={type}>{type}</option>)}
                  </select>
                </div>
                <div className="pcrm-field">
                  <label htmlFor={`${base}-direction`}>Direction</label>
                  <select id={`${base}-direction`} className="pcrm-input" value={row.direction ?? 'crm_to_pulse'} aria-describedby={`${base}-two-way`}
                    onChange={(event) => edit(row.key, { direction: event.target.value as MappingInput['direction'] })}>
                    <option value="crm_to_pulse">CRM → Pulse</option>
                    <option value="pulse_to_crm" disabled>Pulse → CRM (arrives with two-way sync)</option>
                    <option value="both" disabled>Both ways (arrives with two-way sync)</option>
                  </select>
                  <p id={`${base}-two-way`} className="pcrm-muted pcrm-mapping-row__about">Pulse → CRM arrives with two-way sync.</p>
                </div>
                <button type="button" className="pcrm-button pcrm-button--small pcrm-mapping-row__remove"
                  aria-label={`Remove mapping ${index + 1}${row.pulseField ? ` (${row.pulseField})` : ''}`}
                  onClick={() => { setRows((current) => current.filter((other) => other.key !== row.key)); setSaved(null); }}>
                  Remove
                </button>
                {invalid && <p id={`${base}-error`} className="pcrm-field__error pcrm-mapping-row__error" role="alert">{rowProblems.join(' ')}</p>}
              </li>
            );
          })}
        </ol>
      )}

      <div className="pcrm-actions pcrm-actions--start">
        <button type="button" className="pcrm-button" onClick={() => setRows((current) => [...current, rowOf({ crmField: '', pulseField: '', pulseType: 'text', direction: 'crm_to_pulse' })])}>
          Add a mapping
        </button>
        <button type="button" className="pcrm-button" disabled={busy !== null} onClick={() => run('preview')}>{busy === 'preview' ? 'Previewing…' : 'Preview'}</button>
        <button type="button" className="pcrm-button pcrm-button--primary" disabled={busy !== null} onClick={() => run('save')}>{busy === 'save' ? 'Saving…' : 'Save mappings'}</button>
      </div>
      {error && <div className="pcrm-alert pcrm-alert--error" role="alert"><p><strong>Not saved.</strong> {error}</p></div>}
      <div role="status">{saved && <SavedOutcome saved={saved} crmName={crmName} />}</div>
      {preview && <MappingsPreviewTable preview={preview} />}
    </div>
  );
}

/** What the PUT did, in the person's words: values computed now, or the listing that fetches a new field. */
function SavedOutcome({ saved, crmName }: { saved: MappingsSaved; crmName: string }) {
  const fields = saved.fetch.fields.map((name) => `"${name}"`).join(', ');
  const one = saved.fetch.fields.length === 1;
  return (
    <div className="pcrm-alert pcrm-alert--ok">
      <p>
        <strong>Saved.</strong>{' '}
        {saved.outcome === 'rederived'
          ? `${saved.rederived.toLocaleString('en-US')} ${saved.object} re-derived now from stored data, without asking ${crmName}.`
          : saved.outcome === 'full_sync_scheduled'
            ? `Stored data re-derived now (${saved.rederived.toLocaleString('en-US')} ${saved.object}); ${fields} ${one ? 'was' : 'were'} never fetched, so a sync of ${saved.object} has started to fetch ${one ? 'it' : 'them'}.`
            : `Stored data re-derived now (${saved.rederived.toLocaleString('en-US')} ${saved.object}); ${fields} ${one ? 'arrives' : 'arrive'} with the next full sync.`}
      </p>
    </div>
  );
}

function MappingsPreviewTable({ preview }: { preview: MappingsPreview }) {
  // The preview lands below the buttons, often out of view in the dialog: bring it in.
  const ref = useRef<HTMLElement>(null);
  // Braces: newer Chromium returns a promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [preview]);
  const columns = preview.mappings.map((mapping) => mapping.pulseField);
  const show = (value: unknown) => (value === null || value === undefined ? '—' : String(value));
  return (
    <section ref={ref} className="pcrm-stack" aria-label="Preview">
      <p role="status">
        Preview on {preview.records.length} of {preview.total.toLocaleString('en-US')} synced {preview.object}; nothing is saved.
      </p>
      <ul className="pcrm-chips" aria-label="Where each value comes from">
        {preview.mappings.map((mapping) => (
          <li key={mapping.pulseField}>
            <code>{mapping.pulseField}</code> ← <code>{mapping.crmField}</code>: {mapping.source === 'stored' ? 'from stored data' : 'needs a fetch'}
          </li>
        ))}
      </ul>
      {preview.records.length > 0 && columns.length > 0 && (
        <div className="pcrm-table-scroll" role="region" tabIndex={0} aria-label="Previewed records">
          <table className="pcrm-table pcrm-preview" role="table">
            <thead role="rowgroup"><tr role="row"><th scope="col">Record</th>{columns.map((column) => <th key={column} scope="col">{column}</th>)}</tr></thead>
            <tbody role="rowgroup">
              {preview.records.map((record) => (
                <tr key={record.remoteId} role="row">
                  <td role="cell" data-label="Record"><code>{record.remoteId}</code></td>
                  {columns.map((column) => <td key={column} role="cell" data-label={column}>{show(record.customFields[column])}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
