import type { RecordKind } from '../../../api/types';

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

/**
 * Selective sync for one object: the filter builder, its preview (what would sync, what it costs) and
 * save. Self-contained: it reads and writes `/api/integrations/:id/filters` itself.
 */
export function FiltersEditor(_props: FiltersEditorProps) {
  return null;
}
