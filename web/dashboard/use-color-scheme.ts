import { useEffect, useState } from 'preact/hooks';

/** The system's light or dark theme, followed as it changes: the charts draw in its colours. */
export function useColorScheme(): 'light' | 'dark' {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const [scheme, setScheme] = useState<'light' | 'dark'>(query?.matches ? 'dark' : 'light');
  useEffect(() => {
    if (query === null) return;
    const onChange = () => setScheme(query.matches ? 'dark' : 'light');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return scheme;
}
