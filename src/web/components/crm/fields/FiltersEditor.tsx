import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../api/client';
import type { ObjectFilterReport, RecordFilter, RecordKind } from '../../../api/types';
import { usePulseCrm, withPulseCrm } from '../PulseCrmProvider';
import { ErrorNotice, Loading } from '../ui/states';
import { FilterConditionRow } from './filter-condition-row';
import { conditionIndexOf, fromCondition, operatorsFor, toCondition, type DraftCondition } from './filter-operators';
import { FilterPreview } from './filter-preview';
import './filters.css';

/** One CRM field as the filter builder offers it (the shape `GET /api/integrations/:id/fields` returns). */
export interface FilterableField {
  name: string;
  label: string;
  type: string;
  options?: { value: string; label: string }[];
}

export interface FiltersEditorProps {
  integrationId: string;
  object: RecordKind;
  /** The CRM's fields of this object; null while they load. */
  fields: FilterableField[] | null;
}

type Outcome =
  | { kind: 'idle' }
  | { kind: 'busy'; action: 'preview' | 'save' }
  | { kind: 'previewed'; report: ObjectFilterReport }
  | { kind: 'saved'; relisted: boolean }
  | { kind: 'failed'; message: string; condition: number | null };

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Selective sync for one object: the filter builder, its preview (what would sync, what it costs) and
 * save. Self-contained: it reads and writes `/api/integrations/:id/filters` itself.
 */
export const FiltersEditor = withPulseCrm(function FiltersEditor({ integrationId, object, fields }: FiltersEditorProps) {
  const { api, store } = usePulseCrm();
  const nextKey = useRef(0);
  const [loaded, setLoaded] = useState<{ state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; saved: RecordFilter | null }>({ state: 'loading' });
  const [match, setMatch] = useState<RecordFilter['match']>('all');
  const [drafts, setDrafts] = useState<DraftCondition[]>([]);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [attempt, setAttempt] = useState(0);
  // Keyboard focus follows the edit: into a new condition's field, back to "Add a condition" after a removal.
  const [addedKey, setAddedKey] = useState<number | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const adopt = (filter: RecordFilter | null) => {
    setMatch(filter?.match ?? 'all');
    setDrafts((filter?.conditions ?? []).map((condition) => fromCondition(condition, nextKey.current++)));
  };

  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    api.filters(integrationId).then(
      (report) => {
        if (!current) return;
        const saved = report.objects[object].filter;
        adopt(saved);
        setLoaded({ state: 'ready', saved });
      },
      (error: Error) => current && setLoaded({ state: 'error', message: error.message }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, integrationId, object, attempt]);

  if (loaded.state === 'loading') return <Loading label={`Loading the ${object} filter`} lines={2} />;
  if (loaded.state === 'error') return <ErrorNotice title="The filter could not be loaded" message={loaded.message} onRetry={() => setAttempt((n) => n + 1)} />;

  const known = fields ?? [];
  const fieldOf = (name: string) => known.find((field) => field.name === name);
  // No conditions means no filter: every record syncs (null removes a saved one).
  const proposed: RecordFilter | null = drafts.length === 0 ? null
    : { match, conditions: drafts.map((draft) => toCondition(draft, fieldOf(draft.field))) };
  const busy = outcome.kind === 'busy';
  const changed = JSON.stringify(proposed) !== JSON.stringify(loaded.saved);
  const incomplete = drafts.some((draft) => draft.field === '');

  // Any edit makes a shown preview or error stale.
  const edit = (update: () => void) => {
    update();
    if (outcome.kind !== 'busy') setOutcome({ kind: 'idle' });
  };
  // A new condition starts without a field; picking one sets the operators its type allows.
  const addCondition = () => edit(() => {
    const key = nextKey.current++;
    setAddedKey(key);
    setDrafts((current) => [...current, { key, field: '', operator: operatorsFor(undefined)[0]!, text: '', list: [] }]);
  });

  const run = async (action: 'preview' | 'save') => {
    setOutcome({ kind: 'busy', action });
    try {
      if (action === 'preview') {
        const preview = await api.previewFilters(integrationId, { [object]: proposed });
        setOutcome({ kind: 'previewed', report: preview.objects[object] });
      } else {
        const saved = await api.saveFilters(integrationId, { [object]: proposed });
        setLoaded({ state: 'ready', saved: saved.filters[object] });
        adopt(saved.filters[object]);
        setOutcome({ kind: 'saved', relisted: saved.fullSync.objects.includes(object) });
        store.touch();
      }
    } catch (failure) {
      const error = failure as Error;
      const condition = error instanceof ApiError ? conditionIndexOf(error.details) : null;
      // Beside its condition the message needs no path (`body.contacts.conditions.0.value: …`).
      const message = condition === null ? error.message : error.message.replace(/^body\.[\w.]+: /, '');
      setOutcome({ kind: 'failed', message, condition });
    }
  };

  const conditionError = (index: number) => outcome.kind === 'failed' && outcome.condition === index ? outcome.message : undefined;

  return (
    <div className="pcrm-filters">
      <p className="pcrm-muted">
        Sync only the {object} that match these conditions on the CRM&apos;s fields. With no conditions, every record syncs.
      </p>
      {fields === null && <Loading label="Loading the CRM's fields" lines={1} />}

      {drafts.length > 1 && (
        <fieldset className="pcrm-filters__match">
          <legend>Sync {object} that match</legend>
          {(['all', 'any'] as const).map((value) => (
            <label key={value}>
              <input type="radio" name={`pcrm-filter-match-${object}`} value={value} checked={match === value} onChange={() => edit(() => setMatch(value))} />
              <span>{value === 'all' ? 'all of the conditions' : 'any of the conditions'}</span>
            </label>
          ))}
        </fieldset>
      )}

      {drafts.length > 0 && (
        <ol className="pcrm-filters__conditions" aria-label={`Conditions on ${object}`}>
          {drafts.map((draft, index) => (
            <FilterConditionRow
              key={draft.key}
              index={index}
              draft={draft}
              fields={known}
              error={conditionError(index)}
              focusOnMount={draft.key === addedKey}
              onChange={(next) => edit(() => setDrafts((current) => current.map((item) => (item.key === draft.key ? next : item))))}
              onRemove={() => edit(() => {
                setDrafts((current) => current.filter((item) => item.key !== draft.key));
                addButton.current?.focus();
              })}
            />
          ))}
        </ol>
      )}

      <div className="pcrm-filters__edit">
        <button ref={addButton} type="button" className="pcrm-button pcrm-button--small" disabled={fields === null} onClick={addCondition}>Add a condition</button>
        {drafts.length > 0 && (
          <button type="button" className="pcrm-button pcrm-button--small pcrm-button--danger" onClick={() => edit(() => setDrafts([]))}>Clear filter</button>
        )}
      </div>

      {outcome.kind === 'failed' && outcome.condition === null && <ErrorNotice title="Not saved" message={outcome.message} />}
      {outcome.kind === 'failed' && outcome.condition !== null && (
        <p className="pcrm-visually-hidden" role="alert">Condition {outcome.condition + 1}: {outcome.message}</p>
      )}

      <div className="pcrm-actions">
        <button type="button" className="pcrm-button" disabled={busy || incomplete} onClick={() => run('preview')}>
          {outcome.kind === 'busy' && outcome.action === 'preview' ? 'Previewing…' : 'Preview'}
        </button>
        <button type="button" className="pcrm-button pcrm-button--primary" disabled={busy || incomplete || !changed} onClick={() => run('save')}>
          {outcome.kind === 'busy' && outcome.action === 'save' ? 'Saving…' : 'Save filter'}
        </button>
      </div>

      <div aria-live="polite">
        {outcome.kind === 'previewed' && <FilterPreview object={object} report={outcome.report} />}
        {outcome.kind === 'saved' && (
          <p className="pcrm-alert pcrm-alert--ok" role="status">
            {outcome.relisted
              ? `Saved. ${capitalized(object)} will be listed again: records that no longer match are removed.`
              : 'Saved. Nothing changed.'}
          </p>
        )}
      </div>
    </div>
  );
});
