/**
 * Who and where: `users?type=CurrentUser`, `org` (with the edition in `license_details`), and the
 * metadata a sync reads: `settings/modules` and `settings/fields?module=` with picklist labels.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxUser } from '../core/store.js';
import type { ZohoContext } from './context.js';
import { dcPaths } from './datacentres.js';
import { sendZohoError } from './errors.js';
import { toZohoId, zohoTime } from './ids.js';
import { CONCURRENCY } from './limits.js';
import { MODULES, OBJECT_TYPES, moduleByApiName } from './modules.js';

const meta = (scopes: string[]) => ({ config: { sandbox: { kind: 'metadata', scopes: () => scopes, limit: 'api' as const } } });

const userJson = (u: SandboxUser, ctx: ZohoContext, orgId: number) => ({
  id: toZohoId(u.id), zuid: String(u.id), full_name: `${u.firstName} ${u.lastName}`, first_name: u.firstName, last_name: u.lastName, email: u.email,
  role: { name: 'CEO', id: toZohoId(80_000_001) }, profile: { name: 'Administrator', id: toZohoId(80_000_101) },
  status: 'active', time_zone: 'UTC', locale: 'en_US', created_time: zohoTime(ctx.store.account(orgId)!.createdAt),
});

export function registerMetaRoutes(app: FastifyInstance, ctx: ZohoContext): void {
  for (const path of dcPaths('/crm/v8/users')) app.get(path, meta(['ZohoCRM.users.READ', 'ZohoCRM.users.ALL']), async (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>) => {
    const account = req.sandbox.account;
    const users = req.query.type === 'CurrentUser' ? account.users.filter((u) => u.id === req.sandbox.token!.userId) : account.users;
    return { users: users.map((u) => userJson(u, ctx, account.id)), info: { per_page: 200, count: users.length, page: 1, more_records: false } };
  });

  for (const path of dcPaths('/crm/v8/org')) app.get(path, meta(['ZohoCRM.org.READ', 'ZohoCRM.org.ALL']), async (req) => {
    const account = req.sandbox.account;
    const org = ctx.orgs.get(account.id)!;
    return {
      org: [{
        id: toZohoId(account.id), company_name: account.name, alias: null, domain_name: `org${account.id}`, primary_email: account.users[0]?.email ?? '',
        phone: '+1 555-0100', mobile: null, fax: null, street: null, city: null, state: null, zip: null, country: 'United States', country_code: org.location.toUpperCase(),
        description: null, photo_id: null, time_zone: account.timeZone, currency: 'US Dollar - USD', currency_symbol: '$', currency_locale: 'en_US', iso_code: account.currency,
        zgid: String(account.id), ezgid: String(account.id), primary_zuid: String(account.users[0]?.id ?? ''), zia_portal_id: null, zia_zgid: 0,
        max_per_page: 200, mc_status: false, gapps_enabled: false, translation_enabled: false, privacy_settings: false, hipaa_compliance_enabled: false,
        lite_users_enabled: false, deletable_org_account: false, oauth_presence: true, call_icon: '',
        hierarchy_preferences: { type: 'Role_Hierarchy', strictly_reporting: false }, checkin_preferences: { restricted_event_types: null },
        license_details: {
          paid: account.limits.tier !== 'free', paid_type: account.limits.tier, users_license_purchased: account.users.length,
          paid_expiry: `${new Date(ctx.store.clock.now() + 365 * 86_400_000).toISOString().slice(0, 19)}+00:00`, trial_type: null, trial_expiry: null, trial_action: '',
        },
        // Not in Zoho's org resource: what the emulator enforces, for tests and the demo.
        $sandbox_limits: { credits_per_day: account.limits.dailyMax, concurrency: CONCURRENCY[account.limits.tier] ?? null },
      }],
    };
  });

  for (const path of dcPaths('/crm/v8/settings/modules')) app.get(path, meta(['ZohoCRM.settings.modules.READ', 'ZohoCRM.settings.ALL', 'ZohoCRM.settings.fields.READ']), async () => ({
    modules: OBJECT_TYPES.map((t) => ({ api_name: MODULES[t].apiName, module_name: MODULES[t].apiName, singular_label: MODULES[t].singular, plural_label: MODULES[t].apiName, api_supported: true, id: toZohoId(81_000_000 + OBJECT_TYPES.indexOf(t)) })),
  }));

  for (const path of dcPaths('/crm/v8/settings/fields')) app.get(path, meta(['ZohoCRM.settings.fields.READ', 'ZohoCRM.settings.ALL']), async (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply) => {
    const type = moduleByApiName(req.query.module ?? '');
    if (!type) return sendZohoError(reply, 400, req.query.module ? 'INVALID_MODULE' : 'REQUIRED_PARAM_MISSING', req.query.module ? 'The module name given seems to be invalid' : 'One of the expected parameter is missing', { param_name: 'module' });
    return {
      fields: MODULES[type].fields.map((f, i) => ({
        api_name: f.api_name, field_label: f.label, display_label: f.label, data_type: f.type, id: toZohoId(82_000_000 + i), system_mandatory: !!f.mandatory, read_only: !!f.system, custom_field: !!f.custom,
        ...(f.picklist ? { pick_list_values: f.picklist.map((value, order) => ({ display_value: value, actual_value: value, sequence_number: order + 1 })) } : {}),
        ...(f.lookup ? { lookup: { module: { api_name: MODULES[f.lookup].apiName } } } : {}),
      })),
    };
  });
}
