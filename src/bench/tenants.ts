import { loadavg } from 'node:os';
import type { PlatformId } from '../crm/platforms.js';
import type { LimitSettings } from '../sandbox/core/store.js';
import { rateLimitFloorMs } from './ceilings.js';
import { PUBLIC_URL } from './context.js';
import { runMs, sampleUsage, startFleet, type Fleet, type Tenant } from './fleet.js';
import { machineOf, type FleetResult } from './fleet-result.js';
import { benchProfiles } from './profiles.js';
import { startSandboxChild } from './sandbox-child.js';
import { tenantsResult, type TenantsMeasurement } from './tenants-result.js';

/**
 * `pulse-crm bench --scenario tenants`: many tenants, each on its own emulator account under the
 * CRM's realistic limit (its profile's limited tier, e.g. an OAuth app's), their full syncs requested
 * together and served by a few `pulse-crm worker` processes as deployed. Measured against ceilings
 * from the same run: one tenant's rate-limit floor (it cannot finish sooner, nor can all of them) and
 * all records at the pace of one tenant synced alone with limits off (the machine cannot go faster).
 * Then a big tenant started first with small ones right after, against small ones alone. What is
 * measured here is judged against its targets in tenants-result.ts.
 */
export interface TenantsOptions {
  provider: PlatformId;
  databaseUrl: string;
  tenants: number;
  /** Records per tenant, in the emulator's usual proportions. */
  records: number;
  workers: number;
  /** Records of the big tenant (0: no big-first part). */
  bigRecords: number;
  smallTenants: number;
  seed: number;
  onPhase?(phase: string, total: number): void;
  onProgress?(value: number): void;
}

export async function runTenantsBench(options: TenantsOptions): Promise<FleetResult> {
  const profile = benchProfiles[options.provider];
  if (!profile) throw new Error(`no bench profile for ${options.provider}`);
  const loadAtStart = loadavg()[0]!;
  const tier = profile.limited.tier;
  const sandbox = await startSandboxChild(options.provider, 100, options.seed, `${PUBLIC_URL}/crm/oauth/callback`);
  let fleet: Fleet | null = null;
  try {
    fleet = await startFleet({ databaseUrl: options.databaseUrl, provider: options.provider, sandbox, workers: options.workers });
    const all: Tenant[] = [];
    const phase = (name: string, total: number) => options.onPhase?.(name, total);
    const together = async (label: string, tenants: Tenant[], first?: Tenant) => {
      phase(label, tenants.reduce((sum, tenant) => sum + tenant.records, first?.records ?? 0));
      await sandbox.resetRequests();
      const usage = sampleUsage(fleet!, options.databaseUrl);
      const runs = await fleet!.syncTogether(tenants, { full: true, first, onProgress: options.onProgress });
      return { runs, usage: await usage.stop(), requests: await sandbox.requests() };
    };

    // Ceiling: one tenant alone, limits off — the pace this machine syncs at.
    phase('single tenant, limits off: connecting', 1);
    const single = await fleet.addTenant(options.records, 'off');
    all.push(single);
    const alone = await together('single tenant, limits off (ceiling)', [single]);
    const singleMs = runMs(alone.runs[0]!);
    const recordsPerSecond = (options.records * 1000) / singleMs;
    // The tier's numbers, read by putting the ceiling's account under it (it is done syncing).
    const limited = await sandbox.admin<LimitSettings>('PUT', `/_sandbox/accounts/${single.accountId}/limits`, { tier });
    const floorMs = rateLimitFloorMs(limited, alone.requests.byKind) ?? 0;

    // The fleet: every tenant requested at once.
    phase(`${options.tenants} tenants: connecting`, options.tenants);
    const tenants: Tenant[] = [];
    for (let i = 0; i < options.tenants; i++) {
      tenants.push(await fleet.addTenant(options.records, tier));
      options.onProgress?.(i + 1);
    }
    all.push(...tenants);
    const many = await together(`${options.tenants} tenants × ${options.records.toLocaleString('en')} together`, tenants);

    // Big first: small tenants alone, then as many others (same size, first syncs too) right after one big tenant's request.
    let bigFirst: TenantsMeasurement['bigFirst'] = null;
    if (options.bigRecords > 0 && options.smallTenants > 0) {
      phase(`${2 * options.smallTenants} small tenants: connecting`, 2 * options.smallTenants);
      const small: Tenant[] = [];
      for (let i = 0; i < 2 * options.smallTenants; i++) {
        small.push(await fleet.addTenant(options.records, tier));
        options.onProgress?.(i + 1);
      }
      phase('big tenant: connecting (the emulator generates its records)', 1);
      const big = await fleet.addTenant(options.bigRecords, tier);
      all.push(...small, big);
      const smallAlone = await together(`${options.smallTenants} small tenants alone`, small.slice(0, options.smallTenants));
      const withBig = await together(`big tenant (${options.bigRecords.toLocaleString('en')}) first, then ${options.smallTenants} small`, small.slice(options.smallTenants), big);
      bigFirst = { alone: smallAlone, withBig };
    }

    phase(`equality check of ${all.length} tenants`, all.length);
    const differences: string[] = [];
    for (const [i, tenant] of all.entries()) {
      differences.push(...(await fleet.differences(tenant)).map((problem) => `tenant ${i + 1} (account ${tenant.accountId}): ${problem}`));
      options.onProgress?.(i + 1);
    }

    return tenantsResult(options, profile.limited.label, {
      ceiling: { ...alone, ms: singleMs, recordsPerSecond, floorMs, limits: limited },
      fleet: many, bigFirst, differences, machine: await machineOf(options.databaseUrl, loadAtStart),
    });
  } finally {
    await fleet?.close();
    await sandbox.close();
  }
}
