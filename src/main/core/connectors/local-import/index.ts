export {
  createLocalImportConnectorFactory,
  localImportConnectorFactory,
  LocalImportConnector,
  type LocalImportConnectorOptions,
} from './local-import.connector';
export {
  addImportPaths,
  localImportSettingsSchema,
  type LocalImportCursor,
  type LocalImportSettings,
  type LocalImportSettingsInput,
} from './settings';
export { planImport, type ImportPlan, type ImportedFile } from './import-plan';
