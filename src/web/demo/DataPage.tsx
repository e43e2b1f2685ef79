import { SyncedDataView } from '../components/crm';

export function DataPage() {
  return (
    <>
      <h1 className="demo-title">Synced data</h1>
      <SyncedDataView />
    </>
  );
}
