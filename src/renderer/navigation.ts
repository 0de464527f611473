import { useEffect, useState } from 'react';
import { Screen } from '../shared/contract/events';

export const SCREENS: Array<{ id: Screen; label: string; shortcut: string }> = [
  { id: 'search', label: 'Search', shortcut: 'Ctrl K' },
  { id: 'connectors', label: 'Connectors', shortcut: 'Alt 1' },
  { id: 'history', label: 'Sync history', shortcut: 'Alt 2' },
  { id: 'activity', label: 'Activity', shortcut: 'Alt 3' },
  { id: 'import', label: 'Import', shortcut: 'Alt 4' },
  { id: 'notifications', label: 'Notifications', shortcut: 'Alt 5' },
  { id: 'settings', label: 'Settings', shortcut: 'Alt 6' },
];

function fromHash(hash: string): Screen {
  const parsed = Screen.safeParse(hash.replace(/^#\/?/, '').split('?')[0]);
  return parsed.success ? parsed.data : 'search';
}

/** The current screen lives in the URL hash, so reloads and the back button work. */
export function useScreen(): [Screen, (screen: Screen) => void] {
  const [screen, setScreen] = useState<Screen>(() => fromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setScreen(fromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return [
    screen,
    (next) => {
      if (next !== screen) window.location.hash = `#/${next}`;
    },
  ];
}
