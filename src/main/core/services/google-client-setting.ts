/**
 * Settings key of Google's OAuth client id (not secret: a Desktop-app client
 * id). Its own module, so the CLI can read it without loading Drive's code.
 */
export const GOOGLE_CLIENT_ID_SETTING = 'google.oauthClientId';
