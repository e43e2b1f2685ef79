import { useCallback, useEffect, useRef, useState } from 'react';

export type Resource<T> =
  | { state: 'loading'; data?: T; error?: undefined }
  | { state: 'ready'; data: T; error?: undefined }
  | { state: 'error'; data?: T; error: string };

/**
 * Loads `load()` now and whenever `deps` change; keeps the last data while reloading so lists do not
 * jump. `reload` fetches again on demand.
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> & { reload: () => void } {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const [nonce, setNonce] = useState(0);
  const latest = useRef(load);
  latest.current = load;

  useEffect(() => {
    let current = true;
    setResource((previous) => ({ state: 'loading', data: previous.data }));
    latest.current().then(
      (data) => current && setResource({ state: 'ready', data }),
      (error: Error) => current && setResource((previous) => ({ state: 'error', data: previous.data, error: error.message })),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...resource, reload };
}
