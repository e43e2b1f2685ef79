import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformIds } from '../../src/crm/platforms.js';

/**
 * A CRM is a plug-in: its code lives in src/crm/<id>/ and src/sandbox/<id>/, and shared code reaches
 * it only through the registries. These checks read the source, so a shortcut fails the build
 * rather than waiting for the next CRM to trip over it.
 */
const root = join(import.meta.dirname, '../../src');
const crmFolders = platformIds.flatMap((id) => [`crm/${id}/`, `sandbox/${id}/`]);
/** The only shared files that may name a CRM's folder: the lists of what is plugged in. */
// sandbox/wiring.ts: the emulators' ports and apps without their code (what a worker needs to reach them).
const registries = ['crm/modules.ts', 'sandbox/emulators.ts', 'sandbox/wiring.ts', 'bench/profiles.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [relative(root, path)] : [];
  });
}

const shared = sourceFiles(root).filter((file) => !crmFolders.some((folder) => file.startsWith(folder)));
const ids = platformIds.join('|');

describe('shared code does not branch on a CRM', () => {
  it('compares no platform with a CRM id outside the CRM folders', () => {
    const comparison = new RegExp(`[!=]==?\\s*['"\`](${ids})['"\`]|['"\`](${ids})['"\`]\\s*[!=]==?|case\\s+['"\`](${ids})['"\`]`);
    const found = shared.flatMap((file) => readFileSync(join(root, file), 'utf8').split('\n')
      .flatMap((line, index) => (comparison.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])));
    expect(found).toEqual([]);
  });

  it('imports no CRM folder from shared code (only the registries do)', () => {
    const crmFolder = new RegExp(`(^|/)(crm|sandbox)/(${ids})/|^\\.\\.?/(${ids})/`);
    const found = shared.filter((file) => !registries.includes(file))
      .flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)]
        .filter((match) => crmFolder.test(match[1]!)).map((match) => `${file} imports ${match[1]}`));
    expect(found).toEqual([]);
  });
});
