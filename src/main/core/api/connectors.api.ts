import { basename } from 'node:path';
import type { TroveApi } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Core } from '../app';
import { testNotionToken } from '../connectors/notion';
import { newId } from '../ids';
import { secretAccounts } from '../secrets/secret-store';
import type { GoogleAuthSessions } from './google-auth-sessions';
import { expandHome } from './user-paths';
import { connectorView, connectorViewShared } from './views';

type ConnectorCommands = Pick<
  TroveApi,
  | 'listConnectors'
  | 'addLocalFolder'
  | 'addGoogleDrive'
  | 'getGoogleDriveAuthStatus'
  | 'addNotion'
  | 'updateConnector'
  | 'pauseConnector'
  | 'resumeConnector'
  | 'syncConnector'
  | 'previewRemoveConnector'
  | 'removeConnector'
>;

export function connectorsApi(core: Core, google: GoogleAuthSessions): ConnectorCommands {
  const view = (id: string) => connectorView(core, core.connectors.get(id));
  return {
    async listConnectors() {
      const counts = core.repos.documents.countsByConnector();
      const shared = connectorViewShared(core);
      return {
        items: core.repos.connectors.list().map((c) => connectorView(core, c, { ...shared, counts: counts.get(c.id) })),
      };
    },
    async addLocalFolder(input) {
      const path = expandHome(input.path);
      refuseConnectedFolder(core, path);
      const settings: Record<string, unknown> = { path };
      if (input.include) settings.include = input.include;
      if (input.exclude) settings.exclude = input.exclude;
      if (input.maxFileSizeBytes) settings.maxFileSizeBytes = input.maxFileSizeBytes;
      if (input.respectGitignore !== undefined) settings.respectGitignore = input.respectGitignore;
      const { connector, jobId } = await core.connectors.add({
        type: 'local_folder',
        name: input.name ?? (basename(path) || path),
        settings,
      });
      return { connector: view(connector.id), jobId };
    },
    async addGoogleDrive(input) {
      return google.start(input.name ?? 'Google Drive');
    },
    async getGoogleDriveAuthStatus(input) {
      const session = google.status(input.authSessionId);
      return {
        state: session.state,
        connector: session.connector ? view(session.connector.id) : null,
        error: session.error,
      };
    },
    async addNotion(input) {
      // An alternative API root only where one is configured (a proxy, or a test's fake server).
      const apiBaseUrl = process.env.TROVE_NOTION_API_URL;
      await testNotionToken(input.token, { apiBaseUrl });
      const id = newId();
      await core.secrets.set(secretAccounts.connectorToken(id), input.token);
      try {
        const settings = apiBaseUrl ? { apiBaseUrl } : {};
        const { connector, jobId } = await core.connectors.add({ id, type: 'notion', name: input.name, settings });
        return { connector: view(connector.id), jobId };
      } catch (error) {
        await core.secrets.delete(secretAccounts.connectorToken(id));
        throw error;
      }
    },
    async updateConnector(input) {
      const path = input.settings?.path;
      // A local folder's new location (it was moved), as a person types it: ~ is their home folder.
      const settings =
        typeof path === 'string' && core.connectors.get(input.connectorId).type === 'local_folder'
          ? { ...input.settings, path: expandHome(path) }
          : input.settings;
      if (typeof settings?.path === 'string') refuseConnectedFolder(core, settings.path, input.connectorId);
      await core.connectors.update(input.connectorId, { name: input.name, settings });
      return { connector: view(input.connectorId) };
    },
    async pauseConnector(input) {
      core.connectors.setPaused(input.connectorId, true);
      return { connector: view(input.connectorId) };
    },
    async resumeConnector(input) {
      core.connectors.setPaused(input.connectorId, false);
      return { connector: view(input.connectorId) };
    },
    async syncConnector(input) {
      return core.connectors.syncNow(input.connectorId, input.mode);
    },
    async previewRemoveConnector(input) {
      const preview = core.connectors.previewRemoval(input.connectorId);
      return {
        ...preview,
        syncLogs: core.repos.syncLogs.countForConnector(input.connectorId),
      };
    },
    async removeConnector(input) {
      const removed = await core.connectors.remove(input.connectorId);
      // Its history went with it (foreign key); so do its notifications.
      core.repos.events.removeForConnector(input.connectorId);
      return { documents: removed.documents, chunks: removed.chunks };
    },
  };
}

/** Refuses a folder another local-folder connector already indexes (`except`: the one being edited). */
function refuseConnectedFolder(core: Core, path: string, except?: string): void {
  const existing = core.repos.connectors
    .listByType('local_folder')
    .find((c) => c.id !== except && c.settings.path === path);
  if (existing) throw new AppError('CONFLICT', `This folder is already connected as “${existing.name}”.`);
}
