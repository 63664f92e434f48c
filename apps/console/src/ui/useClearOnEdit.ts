import { useEffect } from 'react';
import { useFormikContext } from 'formik';

/**
 * A "saved" banner belongs to the values it saved: calls `clear` when the form is edited after a
 * save or submitted again. For fields inside a formik form (it reads the form's context).
 */
export function useClearOnEdit(clear: () => void): void {
  const { dirty, values, submitCount } = useFormikContext();
  useEffect(() => {
    if (dirty) clear();
  }, [dirty, values, submitCount, clear]);
}
