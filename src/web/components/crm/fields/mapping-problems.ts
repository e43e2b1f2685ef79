/**
 * Puts each of the API's 400 problems next to the row it names. The server words every problem with
 * the row's Pulse field name in quotes, or else its CRM field name in quotes or brackets
 * (src/sync/custom-fields.ts). The Pulse name is tried first: it is unique per object, while two rows
 * may map the same CRM field. A problem naming no row is shown above the rows.
 */
export function problemsByRow(problems: string[], rows: { pulseField: string; crmField: string }[]): { rows: string[][]; general: string[] } {
  const byRow = rows.map(() => [] as string[]);
  const general: string[] = [];
  for (const problem of problems) {
    let index = rows.findIndex((row) => row.pulseField && problem.includes(`"${row.pulseField}"`));
    if (index < 0) index = rows.findIndex((row) => row.crmField && (problem.includes(`"${row.crmField}"`) || problem.includes(`(${row.crmField})`)));
    if (index >= 0) byRow[index]!.push(problem);
    else general.push(problem);
  }
  return { rows: byRow, general };
}

/** A Pulse field name suggested from the CRM's label: "Loyalty Tier" → "loyaltyTier". */
export function suggestedName(label: string): string {
  const words = label.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  const name = words.map((word, i) => (i === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())).join('');
  return /^[A-Za-z]/.test(name) ? name.slice(0, 64) : `field${name}`.slice(0, 64);
}
