export {
  createLocalFolderConnectorFactory,
  localFolderConnectorFactory,
  LocalFolderConnector,
  type LocalFolderConnectorOptions,
} from './local-folder.connector';
export {
  FolderWatcher,
  startChokidarWatch,
  type FolderWatcherOptions,
  type StartWatch,
  type StartWatchOptions,
  type WatchHandle,
} from './folder-watcher';
export {
  localFolderSettingsSchema,
  type LocalFolderCursor,
  type LocalFolderSettings,
  type LocalFolderSettingsInput,
} from './settings';
