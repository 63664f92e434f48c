import { useCallback, useEffect, useRef, useState } from 'react';
import { asFailure, type ApiFailure } from './api';

export interface Resource<T> {
  data: T | undefined;
  error: ApiFailure | undefined;
  loading: boolean;
  reload(): Promise<void>;
  /** Replace the data with a fresher copy (e.g. the TenantView a mutation returned). */
  set(value: T): void;
}

/** Loads once per `key`, ignores answers that arrive after a newer request started. */
export function useResource<T>(key: string, load: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loadRef.current();
      if (mine === seq.current) setState({ data, loading: false });
    } catch (err) {
      if (mine === seq.current) setState((s) => ({ data: s.data, error: asFailure(err), loading: false }));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [key, reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload, set: (data: T) => setState({ data, loading: false }) };
}
