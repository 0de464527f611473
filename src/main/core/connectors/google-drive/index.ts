export {
  createGoogleDriveConnectorFactory,
  driveWebhookActions,
  googleDriveConnectorFactory,
  parseGoogleDriveSettings,
  type GoogleDriveConnectorOptions,
} from './google-drive.connector';
export { authorizeGoogleDrive, type AuthorizeGoogleDriveOptions } from './oauth-loopback';
export { googleTokensSchema, loadGoogleTokens, saveGoogleTokens, type GoogleTokens } from './tokens';
export { stopDriveChannel, watchDriveChanges, type DriveChannel, type WatchDriveChangesOptions } from './drive-watch';
export {
  DRIVE_READONLY_SCOPE,
  driveCursorSchema,
  googleDriveSettingsSchema,
  type DriveCursor,
  type GoogleDriveSettings,
  type GoogleDriveSettingsInput,
} from './settings';
