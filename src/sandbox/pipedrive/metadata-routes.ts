/**
 * Field metadata (v1 `personFields`, `organizationFields`, `dealFields`, with option labels and the
 * custom fields' 40-character keys) and pipelines and stages (v2).
 * https://developers.pipedrive.com/docs/api/v1/DealFields
 */
import type { FastifyInstance } from 'fastify';
import type { PipedriveContext } from './context.js';
import { CUSTOM_FIELDS, INDUSTRIES, PIPELINES, STAGES, type ObjectType } from './objects.js';

interface FieldMeta { key: string; name: string; field_type: string; options?: { id: number | string; label: string }[] }

const STANDARD: Record<ObjectType, FieldMeta[]> = {
  contacts: [
    { key: 'name', name: 'Name', field_type: 'varchar' }, { key: 'first_name', name: 'First name', field_type: 'varchar' }, { key: 'last_name', name: 'Last name', field_type: 'varchar' },
    { key: 'email', name: 'Email', field_type: 'varchar' }, { key: 'job_title', name: 'Job title', field_type: 'varchar' }, { key: 'phone', name: 'Phone', field_type: 'phone' }, { key: 'org_id', name: 'Organization', field_type: 'org' },
    { key: 'owner_id', name: 'Owner', field_type: 'user' }, { key: 'add_time', name: 'Person created', field_type: 'date' }, { key: 'update_time', name: 'Update time', field_type: 'date' },
  ],
  companies: [
    { key: 'name', name: 'Name', field_type: 'varchar' }, { key: 'address', name: 'Address', field_type: 'address' }, { key: 'website', name: 'Website', field_type: 'varchar' },
    { key: 'industry', name: 'Industry', field_type: 'enum', options: INDUSTRIES }, { key: 'owner_id', name: 'Owner', field_type: 'user' },
    { key: 'add_time', name: 'Organization created', field_type: 'date' }, { key: 'update_time', name: 'Update time', field_type: 'date' },
  ],
  deals: [
    { key: 'title', name: 'Title', field_type: 'varchar' }, { key: 'value', name: 'Value', field_type: 'monetary' }, { key: 'currency', name: 'Currency', field_type: 'varchar' },
    { key: 'status', name: 'Status', field_type: 'status', options: [{ id: 'open', label: 'Open' }, { id: 'won', label: 'Won' }, { id: 'lost', label: 'Lost' }, { id: 'deleted', label: 'Deleted' }] },
    { key: 'stage_id', name: 'Stage', field_type: 'stage', options: STAGES.map((s) => ({ id: s.id, label: s.name })) },
    { key: 'pipeline_id', name: 'Pipeline', field_type: 'double', options: PIPELINES.map((p) => ({ id: p.id, label: p.name })) },
    { key: 'person_id', name: 'Contact person', field_type: 'people' }, { key: 'org_id', name: 'Organization', field_type: 'org' },
    { key: 'owner_id', name: 'Owner', field_type: 'user' }, { key: 'expected_close_date', name: 'Expected close date', field_type: 'date' },
  ],
};

function fields(type: ObjectType) {
  const all: FieldMeta[] = [...STANDARD[type], ...CUSTOM_FIELDS[type].map((f) => ({ key: f.key, name: f.name, field_type: f.fieldType, ...(f.options ? { options: f.options } : {}) }))];
  return all.map((f, i) => ({ id: 9000 + i, order_nr: i, add_visible_flag: true, edit_flag: f.key.length === 40, active_flag: true, mandatory_flag: f.key === 'name' || f.key === 'title', ...f }));
}

const ENDPOINTS: [string, ObjectType, string][] = [['personFields', 'contacts', 'contacts:read'], ['organizationFields', 'companies', 'contacts:read'], ['dealFields', 'deals', 'deals:read']];

export function registerMetadataRoutes(app: FastifyInstance, _ctx: PipedriveContext): void {
  for (const [name, type, scope] of ENDPOINTS) {
    const scopes = () => [scope, scope.replace(':read', ':full'), 'admin'];
    const handler = async (req: { query: unknown }) => {
      const q = req.query as { start?: string; limit?: string };
      const all = fields(type);
      const start = Number(q.start ?? 0);
      const limit = Math.min(500, Number(q.limit ?? 100));
      const data = all.slice(start, start + limit);
      return { success: true, data, additional_data: { pagination: { start, limit, more_items_in_collection: start + limit < all.length, ...(start + limit < all.length ? { next_start: start + limit } : {}) } } };
    };
    for (const prefix of ['/api/v1', '/v1']) app.get(`${prefix}/${name}`, { config: { sandbox: { kind: 'metadata', scopes, limit: 'api' } } }, handler);
  }
  const dealScopes = () => ['deals:read', 'deals:full', 'admin'];
  app.get('/api/v2/pipelines', { config: { sandbox: { kind: 'metadata', scopes: dealScopes, limit: 'api' } } }, async () => ({
    success: true,
    data: PIPELINES.map((p) => ({ id: p.id, name: p.name, order_nr: p.orderNr, is_deleted: false, is_deal_probability_enabled: true, add_time: '2021-10-01T00:00:00Z', update_time: '2021-10-01T00:00:00Z', is_selected: p.id === 1 })),
    additional_data: { next_cursor: null },
  }));
  app.get('/api/v2/stages', { config: { sandbox: { kind: 'metadata', scopes: dealScopes, limit: 'api' } } }, async (req) => {
    const pipelineId = (req.query as { pipeline_id?: string }).pipeline_id;
    return {
      success: true,
      data: STAGES.filter((s) => !pipelineId || s.pipelineId === Number(pipelineId)).map((s) => ({
        id: s.id, order_nr: s.orderNr, name: s.name, is_deleted: false, deal_probability: s.dealProbability, pipeline_id: s.pipelineId, is_deal_rot_enabled: false, days_to_rotten: null,
        add_time: '2021-10-01T00:00:00Z', update_time: '2021-10-01T00:00:00Z',
      })),
      additional_data: { next_cursor: null },
    };
  });
}
