import type { ObjectFilterReport, RecordKind } from '../../../api/types';

const count = (value: number) => value.toLocaleString('en-US');

/** Record fields worth showing in the sample, in order; the first two a record has are shown. */
const sampleColumns = ['name', 'displayName', 'firstName', 'lastName', 'email', 'domain', 'stage', 'amount'];

function sampleTitle(record: Record<string, unknown>): string {
  const names = [record.firstName, record.lastName].filter((part) => typeof part === 'string' && part).join(' ');
  const title = names || record.name || record.displayName || record.email || record.domain || record.remoteId;
  return String(title ?? '—');
}

function sampleDetail(record: Record<string, unknown>): string {
  return sampleColumns
    .filter((column) => !['name', 'displayName', 'firstName', 'lastName'].includes(column))
    .map((column) => record[column])
    .filter((value) => value !== null && value !== undefined && value !== '' && String(value) !== sampleTitle(record))
    .slice(0, 2)
    .map(String)
    .join(' · ');
}

/**
 * What a proposed filter would sync: the CRM's count when it can count with the filter (else Pulse's
 * local count, and why), a few matching local records, and what a full listing costs with and without it.
 */
export function FilterPreview({ object, report }: { object: RecordKind; report: ObjectFilterReport }) {
  const { crm, local, listingRequests, appliedAt } = report;
  return (
    <section className="pcrm-filter-preview" aria-label="Preview">
      <dl className="pcrm-filter-preview__facts">
        <div>
          <dt>Would sync</dt>
          <dd>
            {crm.matching !== null
              ? <><strong>{count(crm.matching)}</strong> {object}{crm.total !== null && <> of {count(crm.total)} in the CRM</>}</>
              : local
                ? <><strong>{count(local.matching)}</strong> of the {count(local.records)} {object} Pulse holds</>
                : 'Not counted'}
            {crm.matching === null && (crm.note ?? report.reason) && <span className="pcrm-muted"> ({crm.note ?? report.reason})</span>}
          </dd>
        </div>
        <div>
          <dt>Filter applied</dt>
          <dd>
            {appliedAt === 'crm' && 'In the CRM\'s query: only matching records are listed'}
            {appliedAt === 'pulse' && 'In Pulse: every record is listed, and Pulse keeps those that match'}
            {appliedAt === 'none' && 'No filter: every record syncs'}
            {appliedAt === 'pulse' && report.reason && <span className="pcrm-muted"> ({report.reason})</span>}
          </dd>
        </div>
        <div>
          <dt>Full sync cost</dt>
          <dd>
            {listingRequests.filtered === null
              ? appliedAt === 'pulse' ? 'As without the filter: every record is listed' : 'Not estimated'
              : <>About <strong>{count(listingRequests.filtered)}</strong> listing {listingRequests.filtered === 1 ? 'request' : 'requests'}</>}
            {listingRequests.unfiltered !== null && listingRequests.filtered !== listingRequests.unfiltered &&
              <span className="pcrm-muted"> instead of {count(listingRequests.unfiltered)} without the filter</span>}
          </dd>
        </div>
      </dl>
      {local && (
        <div className="pcrm-filter-preview__sample">
          <h4>In Pulse now: {count(local.matching)} of {count(local.records)} {object} match</h4>
          {local.matching === 0 && local.records > 0 && (
            <p className="pcrm-muted">Records synced before this filter may not hold its fields yet; the full sync after saving reads them.</p>
          )}
          {local.sample.length > 0 && (
            <ul>
              {local.sample.map((record, index) => (
                <li key={String(record.remoteId ?? index)}>
                  <span className="pcrm-filter-preview__title">{sampleTitle(record)}</span>
                  {sampleDetail(record) && <span className="pcrm-muted"> {sampleDetail(record)}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
