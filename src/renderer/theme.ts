import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark';
const KEY = 'trove.theme';

/** Follows the system theme until the person picks one; the choice is remembered. */
export function useTheme(): [Theme, () => void] {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const [chosen, setChosen] = useState<Theme | null>(() => {
    const saved = window.localStorage.getItem(KEY);
    return saved === 'light' || saved === 'dark' ? saved : null;
  });
  const [system, setSystem] = useState<Theme>(media.matches ? 'dark' : 'light');
  useEffect(() => {
    const onChange = (e: MediaQueryListEvent) => setSystem(e.matches ? 'dark' : 'light');
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, [media]);
  const theme = chosen ?? system;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [
    theme,
    () => {
      const next = theme === 'dark' ? 'light' : 'dark';
      window.localStorage.setItem(KEY, next);
      setChosen(next);
    },
  ];
}
