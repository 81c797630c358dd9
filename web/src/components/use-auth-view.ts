import { useEffect, useState } from 'preact/hooks';
import type { AuthView, PageAuth } from '../auth/page-auth.js';

export function useAuthView(auth: PageAuth): AuthView {
  const [view, setView] = useState(auth.view);
  useEffect(() => {
    setView(auth.view);
    return auth.subscribe(setView);
  }, [auth]);
  return view;
}
