import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { CommandOutput, Screen, TroveEvent } from '../shared/contract';
import { useApi, useCommand, useEvents, type QueryState } from './api/hooks';
import { SCREENS, useScreen } from './navigation';
import { ActivityScreen } from './screens/ActivityScreen';
import { ConnectorsScreen } from './screens/ConnectorsScreen';
import { HistoryScreen } from './screens/HistoryScreen';
import { ImportScreen, type ImportSession } from './screens/ImportScreen';
import { NotificationsScreen } from './screens/NotificationsScreen';
import { SearchScreen } from './screens/SearchScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { useDropImport } from './drop-import';
import { useTheme } from './theme';
import { describeOverview } from './overview-line';
import { StorageBanner, storagePausedLabel, useStorageStatus } from './storage-status';

export function App() {
  const api = useApi();
  const [screen, setScreen] = useScreen();
  const [theme, toggleTheme] = useTheme();
  const [toast, setToast] = useState<string | null>(null);
  const [session, setSession] = useState<ImportSession | null>(null);
  // Set when the app menu asks a screen to open its picker; the screen clears it once done.
  const [pendingPick, setPendingPick] = useState<Screen | null>(null);
  const pickHandled = useCallback(() => setPendingPick(null), []);

  const notify = useCallback((message: string) => setToast(message), []);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 6000);
    return () => clearTimeout(timer);
  }, [toast]);

  const startImport = useCallback(
    async (files: readonly File[] | null, paths: string[]) => {
      setScreen('import');
      setSession({
        state: 'starting',
        fileNames: files ? files.map((f) => f.name) : paths,
        startedAt: Date.now(),
        error: null,
        result: null,
      });
      let toImport = paths;
      if (files && files.length > 0) {
        if (api.pathsForFiles) toImport = api.pathsForFiles(files);
        else if (api.uploadFiles) {
          const uploaded = await api.uploadFiles(files);
          if (!uploaded.ok) return setSession((s) => s && { ...s, state: 'failed', error: uploaded.error });
          toImport = uploaded.value.paths;
        }
      }
      if (toImport.length === 0) {
        return setSession(
          (s) =>
            s && {
              ...s,
              state: 'failed',
              error: {
                code: 'VALIDATION',
                message: 'Nothing to import: no file paths were found in what was dropped.',
              },
            },
        );
      }
      const result = await api.call('importPaths', { paths: toImport });
      setSession(
        (s) =>
          s &&
          (result.ok
            ? { ...s, state: 'running', result: result.value }
            : { ...s, state: 'failed', error: result.error }),
      );
    },
    [api, setScreen],
  );

  const dragging = useDropImport((files, paths) => void startImport(files, paths));
  const storage = useStorageStatus();

  useEvents((event) => {
    if (event.type === 'shell.navigate') {
      setScreen(event.screen);
      if (event.action === 'pick') setPendingPick(event.screen);
    }
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setScreen('search');
        requestAnimationFrame(() => document.getElementById('search-input')?.focus());
      } else if (e.key === '/' && !typing) {
        e.preventDefault();
        setScreen('search');
        requestAnimationFrame(() => document.getElementById('search-input')?.focus());
      } else if (e.altKey && /^[1-6]$/.test(e.key)) {
        const target = SCREENS[Number(e.key)];
        if (target) {
          e.preventDefault();
          setScreen(target.id);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setScreen]);

  const body: Record<Screen, ReactNode> = {
    search: <SearchScreen notify={notify} onNavigate={setScreen} />,
    connectors: (
      <ConnectorsScreen
        notify={notify}
        onNavigate={setScreen}
        addRequested={pendingPick === 'connectors'}
        onAddRequestHandled={pickHandled}
      />
    ),
    history: <HistoryScreen notify={notify} />,
    activity: <ActivityScreen notify={notify} />,
    import: (
      <ImportScreen
        session={session}
        pickRequested={pendingPick === 'import'}
        onPickRequestHandled={pickHandled}
        onImport={(files, paths) => void startImport(files, paths)}
        onDismiss={() => setSession(null)}
        notify={notify}
      />
    ),
    notifications: <NotificationsScreen notify={notify} onNavigate={setScreen} />,
    settings: <SettingsScreen />,
  };

  // Browser mode without a session (a tab of another browser, or the server
  // restarted): say so once, instead of every screen failing on its own.
  const overview = useCommand('activityOverview', {}, { refreshOn: overviewRefresh, throttleMs: 250 });
  useRefreshWhileUnannounced(overview);
  if (overview.error?.code === 'UNAUTHORIZED') {
    return (
      <div className="app app-locked" data-theme={theme}>
        <main className="main" data-testid="screen-locked">
          <div className="locked card">
            <h1>Open Trove from its address</h1>
            <p>{overview.error.message}</p>
            <p className="muted">
              The address looks like <span className="mono">http://127.0.0.1:PORT/?token=…</span>. Opening it once signs
              this browser in; after that, other tabs and bookmarks work too.
            </p>
          </div>
        </main>
      </div>
    );
  }

  return (
    <div className="app" data-theme={theme}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar
        screen={screen}
        onNavigate={setScreen}
        theme={theme}
        onToggleTheme={toggleTheme}
        pausedLabel={storagePausedLabel(storage)}
        overview={overview.data}
      />
      <main id="main" className="main" tabIndex={-1} data-testid={`screen-${screen}`}>
        <StorageBanner storage={storage} />
        {body[screen]}
      </main>
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div className="drop-overlay-inner">Drop files or folders to import them</div>
        </div>
      )}
      {toast && (
        <div className="toast" role="status" data-testid="toast">
          {toast}
        </div>
      )}
    </div>
  );
}

/** How often the overview is asked again while work goes on that announces no progress. */
const UNANNOUNCED_WORK_POLL_MS = 1000;

/**
 * Documents processed outside a sync run (updated after a new version of
 * Trove, or left waiting by a cancelled run) send no progress events: a
 * run's progress stands for its documents, and those belong to none. While
 * such work is under way the overview is asked again every second, so the
 * sidebar counts down and then says "Up to date".
 */
function useRefreshWhileUnannounced(overview: QueryState<CommandOutput<'activityOverview'>>): void {
  const data = overview.data;
  const unannounced = data !== null && data.runs.length === 0 && data.updatingDocuments + data.waitingDocuments > 0;
  const reload = overview.reload;
  useEffect(() => {
    if (!unannounced) return;
    const timer = setInterval(reload, UNANNOUNCED_WORK_POLL_MS);
    return () => clearInterval(timer);
  }, [unannounced, reload]);
}

function overviewRefresh(e: TroveEvent): boolean {
  return (
    e.type === 'run.progress' ||
    e.type === 'sync.finished' ||
    e.type === 'connector.changed' ||
    (e.type === 'job' && e.phase !== 'progress')
  );
}

function Sidebar(props: {
  screen: Screen;
  onNavigate: (s: Screen) => void;
  theme: 'light' | 'dark';
  onToggleTheme: () => void;
  /** Set while background work is paused because the data disk is full or failing. */
  pausedLabel: string | null;
  overview: CommandOutput<'activityOverview'> | null;
}) {
  const notifications = useCommand(
    'listNotifications',
    { unreadOnly: true, limit: 1 },
    { refreshOn: (e) => e.type === 'notification.created' || e.type === 'notifications.changed' },
  );
  const unread = notifications.data?.unreadCount ?? 0;
  // A paused disk outranks everything else the sidebar could say.
  const state = props.pausedLabel
    ? { tone: 'bad' as const, text: props.pausedLabel }
    : describeOverview(props.overview);
  const active = props.overview ? props.overview.runs.length + props.overview.queuedSyncs.length : 0;
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <img src="./favicon.svg" alt="" width={26} height={26} />
        <span>Trove</span>
      </div>
      <ul className="nav-list">
        {SCREENS.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className={`nav-item ${props.screen === item.id ? 'nav-item-active' : ''}`}
              aria-current={props.screen === item.id ? 'page' : undefined}
              onClick={() => props.onNavigate(item.id)}
              data-testid={`nav-${item.id}`}
              title={item.shortcut}
            >
              <span>{item.label}</span>
              {item.id === 'notifications' && unread > 0 && (
                <span className="count-pill" data-testid="unread-count">
                  {unread}
                </span>
              )}
              {item.id === 'activity' && active > 0 && <span className="count-pill count-pill-busy">{active}</span>}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-footer">
        <button
          type="button"
          className="sync-state"
          data-testid="sync-state"
          data-tone={state.tone}
          onClick={() => props.onNavigate('activity')}
          title="Open Activity"
        >
          <span className={`dot dot-${state.tone}`} />
          <span>{state.text}</span>
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={props.onToggleTheme}
          data-testid="theme-toggle"
        >
          {props.theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
      </div>
    </nav>
  );
}
