import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platforms } from '../crm/platforms.js';
import type { FleetResult } from './fleet-result.js';
import { cpuPer100k, type BenchResult, type ScenarioResult } from './run.js';

/**
 * The bench's outputs: the JSON (every figure), a Markdown report (targets with their ceilings and
 * ratios, then one row per scenario) and an SVG chart of records/s over each full sync; for the
 * many-tenant and crash scenarios, the JSON and a Markdown report of targets and figures.
 */
const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const n = (value: number) => value.toLocaleString('en-US');
const ratio = (value: number | null) => (value === null || !Number.isFinite(value) ? '–' : `${value.toFixed(2)}×`);

export function writeReport(result: BenchResult, dir: string): { json: string; markdown: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const base = `${result.date}-${result.provider}-${result.records}`;
  const paths = { json: join(dir, `${base}.json`), markdown: join(dir, `${base}.md`), svg: join(dir, `${base}.svg`) };
  writeFileSync(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(paths.svg, chart(result));
  writeFileSync(paths.markdown, markdown(result, `${base}.svg`));
  return paths;
}

function markdown(result: BenchResult, svgName: string): string {
  const lines = [
    `# Sync benchmark — ${platforms[result.provider].name}, ${n(result.records)} records, ${result.date}`,
    '',
    `Machine: ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGb} GB, Node ${result.machine.node}, ${result.machine.databaseVersion}; load average ${result.machine.loadAverage?.start ?? "?"} at the start, ${result.machine.loadAverage?.end ?? "?"} at the end. ` +
      'The CRM\'s emulator in its own process on the same machine. On PostgreSQL the sync runs in a separate `pulse-crm worker` process and peak RSS is that process\'s; ' +
      'on PGlite (one process) and in the small run the worker runs inside the bench process, so its peak RSS includes the bench (and the embedded database).',
    'Wall times run from the sync request to the finished `crm_sync_logs` row. Ratios compare each figure with the ceiling measured in the same run.',
    '',
    '## Targets',
    '',
    '| target | measured | limit | ratio | met |',
    '|---|---|---|---|---|',
    ...result.targets.map((t) => `| ${t.name} | ${t.measured} | ${t.limit} | ${t.ratio === null ? '–' : ratio(t.ratio)} | ${t.met ? 'yes' : `**no** — ${t.binding ?? ''}`} |`),
    '',
    '## Scenarios',
    '',
    '| scenario | records | full sync | records/s | requests / minimum | daily allocation spent | peak RSS | fetch ceiling | write ceiling (COPY) | rate-limit floor | full ÷ max(fetch, write) | incremental (changes) | incremental requests | equal |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...result.scenarios.map((r) => scenarioRow(r)),
    '',
    ...baselineSection(result.scenarios[0]),
    `![records/s over the full sync](${svgName})`,
    '',
  ];
  if (result.notes.length) lines.push('## Notes', '', ...result.notes.map((note) => `- ${note}`), '');
  return lines.join('\n');
}

function scenarioRow(r: ScenarioResult): string {
  const bound = Math.max(r.ceilings.fetchMs ?? 0, r.ceilings.copyMs ?? 0);
  return `| ${r.label} | ${n(r.records)} | ${s(r.full.wallMs)} | ${n(Math.round(r.full.recordsPerSecond))} | ${n(r.full.requests)} / ${n(r.full.minRequests)} | ${allocation(r)} | ${r.full.peakRssMb} MB (${r.worker}) | ${s(r.ceilings.fetchMs)} | ${s(r.ceilings.copyMs)} | ${r.ceilings.rateLimitFloorMs ? s(r.ceilings.rateLimitFloorMs) : '–'} | ${bound ? ratio(r.full.wallMs / bound) : '–'} | ${r.incremental ? `${s(r.incremental.wallMs)} (${n(r.incremental.changes)})` : '–'} | ${r.incremental ? n(r.incremental.requests) : '–'} | ${r.equal ? 'yes' : '**NO**'} |`;
}

function allocation(r: ScenarioResult): string {
  if (!r.allocation) return '–';
  return `${n(r.allocation.spent)} of ${n(r.allocation.of)} ${r.allocation.unit} (${((100 * r.allocation.spent) / r.allocation.of).toFixed(2)} %)`;
}

/** Records/s over elapsed time, one panel per scenario (each its own scale). */
function chart(result: BenchResult): string {
  const panels = result.scenarios.filter((r) => r.full.samples.length > 1);
  const width = 760;
  const panelHeight = 170;
  const left = 70;
  const right = 20;
  const top = 40;
  const gap = 50;
  const height = top + panels.length * (panelHeight + gap);
  const colors = ['#2563eb', '#16a34a', '#ea580c', '#9333ea'];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="600">Records/s over the full sync — ${escape(platforms[result.provider].name)}, ${result.date}</text>`,
  ];
  panels.forEach((r, index) => {
    const y0 = top + index * (panelHeight + gap) + 20;
    const series = rates(r.full.samples);
    const maxX = Math.max(r.full.wallMs / 1000, 0.001);
    const maxY = niceMax(Math.max(...series.map(([, v]) => v), 1));
    const x = (t: number) => left + (t / maxX) * (width - left - right);
    const y = (v: number) => y0 + panelHeight - (v / maxY) * panelHeight;
    const color = colors[index % colors.length];
    parts.push(`<text x="${left}" y="${y0 - 8}" font-weight="600">${escape(r.label)} · ${n(r.records)} records in ${s(r.full.wallMs)} · mean ${n(Math.round(r.full.recordsPerSecond))} records/s</text>`);
    parts.push(`<rect x="${left}" y="${y0}" width="${width - left - right}" height="${panelHeight}" fill="none" stroke="#d4d4d8"/>`);
    for (let k = 0; k <= 4; k++) {
      const v = (maxY * k) / 4;
      parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#f0f0f3"/>`, `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#52525b">${n(Math.round(v))}</text>`);
    }
    for (let k = 0; k <= 5; k++) {
      const t = (maxX * k) / 5;
      parts.push(`<text x="${x(t)}" y="${y0 + panelHeight + 16}" text-anchor="middle" fill="#52525b">${t.toFixed(t < 10 ? 1 : 0)} s</text>`);
    }
    const points = series.flatMap(([t0, v], i) => [[t0, v], [series[i + 1]?.[0] ?? maxX, v]] as [number, number][]);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
    const mean = r.full.recordsPerSecond;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(mean)}" y2="${y(mean)}" stroke="${color}" stroke-dasharray="4 4" opacity="0.6"/>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * Samples (records written so far, at each committed batch) → [bin start (s), records/s] over equal
 * bins. The cumulative count is interpolated between samples at the bin edges, so a batch that lands
 * just after an edge does not show as a gap followed by a spike.
 */
export function rates(samples: [number, number][], bins = 50): [number, number][] {
  const end = samples[samples.length - 1]![0];
  if (end <= 0) return [[0, 0]];
  const at = (t: number) => {
    let i = 1;
    while (i < samples.length && samples[i]![0] < t) i++;
    if (i >= samples.length) return samples[samples.length - 1]![1];
    const [t0, v0] = samples[i - 1]!;
    const [t1, v1] = samples[i]!;
    return t1 === t0 ? v1 : v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
  };
  const width = end / bins;
  const out: [number, number][] = [];
  for (let k = 0; k < bins; k++) out.push([(k * width) / 1000, ((at((k + 1) * width) - at(k * width)) * 1000) / width]);
  return out;
}

/** Pulse's full sync next to the peers' patterns and the concurrent ceiling, on the same pages and database. */
function baselineSection(main: ScenarioResult | undefined): string[] {
  if (!main || main.baselines.length === 0) return [];
  const seconds = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} s`);
  const row = (name: string, wallMs: number, records: number, requests: number, cpu: ScenarioResult['full']['cpu']) => {
    const per100k = cpuPer100k(cpu, records);
    return `| ${name} | ${s(wallMs)} | ${n(Math.round((records * 1000) / wallMs))} | ${n(requests)} | ${seconds(cpu.processSeconds)} | ${seconds(cpu.postgresSeconds)} | ${seconds(per100k)} | ${ratio(wallMs / main.full.wallMs)} |`;
  };
  return [
    '## Baselines (same pages, same PostgreSQL, this run)',
    '',
    '| pattern | wall | records/s | requests | CPU: process | CPU: PostgreSQL | CPU per 100k records | wall ÷ Pulse\'s |',
    '|---|---|---|---|---|---|---|---|',
    row(`Pulse full sync (${main.worker})`, main.full.wallMs, main.records, main.full.requests, main.full.cpu),
    ...main.baselines.map((baseline) => row(baseline.name, baseline.wallMs, baseline.records, baseline.requests, baseline.cpu)),
    '',
    'Page-by-page: each object concurrently, a page fetched then upserted as JSONB in one statement before the next is fetched (the shape of Nango\'s HubSpot sync templates). ' +
      'Row-by-row: the objects one after another, one upsert per record (a hand-written service). Concurrent ceiling: fetch and COPY at once, no mapping, no checkpoints. ' +
      'The baselines run in the bench process; PostgreSQL\'s CPU is every server process\'s, reaped backends included (a quiet machine is assumed).',
    '',
  ];
}

function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= value)!;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A many-tenant or crash scenario's report: bench/results/<date>-<name>.{json,md}. */
export function writeFleetReport(result: FleetResult, dir: string): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const base = `${result.date}-${result.name}`;
  const paths = { json: join(dir, `${base}.json`), markdown: join(dir, `${base}.md`) };
  writeFileSync(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  const m = result.machine;
  const lines = [
    `# ${platforms[result.provider].name} bench, ${result.scenario}: ${result.title}, ${result.date}`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.databaseVersion}; load average ${m.loadAverage.start} at the start, ${m.loadAverage.end} at the end. ` +
      (result.setup ?? 'The CRM\'s emulator in its own process on the same machine; syncs run in separate `pulse-crm worker` processes.'),
    `Options: ${Object.entries(result.options).map(([key, value]) => `${key} ${typeof value === 'number' ? n(value) : value}`).join(', ')}.`,
    '',
    '## Targets',
    '',
    '| target | measured | limit | ratio | met |',
    '|---|---|---|---|---|',
    ...result.targets.map((t) => `| ${t.name} | ${t.measured} | ${t.limit} | ${t.ratio === null ? '–' : ratio(t.ratio)} | ${t.met ? 'yes' : `**no**${t.binding ? ` — ${t.binding}` : ''}`} |`),
    '',
    '## Figures',
    '',
    '| figure | value |',
    '|---|---|',
    ...result.figures.map((figure) => `| ${figure.label} | ${figure.value} |`),
    `| equal to the emulator, every tenant | ${result.equal ? 'yes' : `**NO** (${result.differences.length} differences, in the JSON)`} |`,
    '',
  ];
  if (result.notes.length) lines.push('## Notes', '', ...result.notes.map((note) => `- ${note}`), '');
  writeFileSync(paths.markdown, lines.join('\n'));
  return paths;
}
