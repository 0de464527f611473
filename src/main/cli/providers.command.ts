import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { Core } from '../core/app';
import { GOOGLE_CLIENT_ID_SETTING } from '../core/services/google-client-setting';
import { newId } from '../core/ids';
import { secretAccounts } from '../core/secrets/secret-store';
import { findConnector } from './connectors.command';
import { withCore, type GlobalOptions } from './context';
import { callCommand } from './dispatch-command';
import { followUntilIdle } from './progress';
import { readSecret } from './secret-input';
import { terminalSafe } from './terminal-text';

/** `add-drive`, `add-notion`, `gemini-key` and `webhooks`: connecting cloud sources and their secrets. */
export function registerProviderCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('add-drive')
    .description('connect Google Drive: prints the consent URL and waits for the browser to come back')
    .option('--client-id <id>', 'OAuth client id of a "Desktop app" client (saved in settings)')
    .option('--name <name>', 'display name', 'Google Drive')
    .option('--shared-drives', 'include shared drives')
    .option('--folder <id>', 'only files under this folder id (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--api-base-url <url>', 'Drive API root (advanced)')
    .option('--auth-url <url>', 'OAuth consent endpoint (advanced)')
    .option('--token-url <url>', 'OAuth token endpoint (advanced)')
    .action(async (opts: DriveOptions) => {
      await withCore(globals(), {}, async (core) => addDrive(core, opts));
    });

  program
    .command('add-notion')
    .description('connect Notion with an internal integration token (read from TROVE_NOTION_TOKEN or typed)')
    .option('--name <name>', 'display name', 'Notion')
    .option('--api-base-url <url>', 'Notion API root (advanced)')
    .action(async (opts: { name: string; apiBaseUrl?: string }) => {
      await withCore(globals(), {}, async (core) => {
        const token = await readSecret('Notion integration token: ', 'TROVE_NOTION_TOKEN');
        if (!token)
          throw new AppError(
            'VALIDATION',
            'No token given. Create an internal integration at notion.so/my-integrations.',
          );
        const { testNotionToken } = await import('../core/connectors/notion');
        const { botName } = await testNotionToken(token, { apiBaseUrl: opts.apiBaseUrl });
        const id = newId();
        await core.secrets.set(secretAccounts.connectorToken(id), token);
        const settings = opts.apiBaseUrl ? { apiBaseUrl: opts.apiBaseUrl } : {};
        try {
          await core.connectors.add({ id, type: 'notion', name: opts.name, settings });
        } catch (error) {
          await core.secrets.delete(secretAccounts.connectorToken(id));
          throw error;
        }
        console.log(
          `Connected Notion${botName ? ` as ${terminalSafe(botName)}` : ''}. Only pages shared with the integration are synced.`,
        );
        await followUntilIdle(core, 'Syncing');
      });
    });

  program
    .command('gemini-key')
    .description('store the Gemini API key in the system keychain (read from TROVE_GEMINI_API_KEY or typed)')
    .option('--clear', 'remove the stored key')
    .action(async (opts: { clear?: boolean }) => {
      await withCore(globals(), { background: false }, async (core) => {
        if (opts.clear) {
          await callCommand(core, 'clearGeminiKey', {});
          return console.log('Gemini API key removed from the keychain.');
        }
        const key = await readSecret('Gemini API key: ', 'TROVE_GEMINI_API_KEY');
        if (!key) throw new AppError('VALIDATION', 'No key given.');
        await callCommand(core, 'setGeminiKey', { apiKey: key });
        console.log(`Stored the Gemini API key (…${key.slice(-4)}) in the system keychain.`);
      });
    });

  program
    .command('webhooks <connector>')
    .description('set up the webhook relay for a Drive or Notion connector and show what to paste where')
    .option('--relay <url>', 'relay base URL (saved in settings)')
    .action(async (idOrName: string, opts: { relay?: string }) => {
      await withCore(globals(), { background: false }, async (core) => {
        if (opts.relay) await callCommand(core, 'updateSettings', { relayUrl: opts.relay });
        const connector = findConnector(core, idOrName);
        await core.relay.ensureChannel(connector.id);
        const info = await core.relay.webhookInfo(connector.id);
        console.log(`Webhook URL: ${terminalSafe(info.webhookUrl)}`);
        if (connector.type === 'notion') {
          console.log(
            info.verificationToken
              ? `Verification token: ${terminalSafe(info.verificationToken)}`
              : 'Paste the URL into your Notion integration’s Webhooks tab; run this again to see the verification token.',
          );
        }
      });
    });
}

interface DriveOptions {
  clientId?: string;
  name: string;
  sharedDrives?: boolean;
  folder?: string[];
  apiBaseUrl?: string;
  authUrl?: string;
  tokenUrl?: string;
}

async function addDrive(core: Core, opts: DriveOptions): Promise<void> {
  const clientId = opts.clientId ?? core.repos.settings.get<string | null>(GOOGLE_CLIENT_ID_SETTING, null);
  if (!clientId) {
    throw new AppError(
      'VALIDATION',
      'No Google OAuth client id. Create a "Desktop app" OAuth client (see the README) and pass --client-id.',
    );
  }
  core.repos.settings.set(GOOGLE_CLIENT_ID_SETTING, clientId);
  // Loaded on demand, so commands that do not connect Drive start without its code.
  const { connectGoogleDrive } = await import('../core/services/google-drive-onboarding');
  await connectGoogleDrive(core, {
    clientId,
    clientSecret: process.env.TROVE_GOOGLE_CLIENT_SECRET,
    name: opts.name,
    includeSharedDrives: opts.sharedDrives,
    folderIds: opts.folder,
    authUrl: opts.authUrl,
    tokenUrl: opts.tokenUrl,
    apiBaseUrl: opts.apiBaseUrl,
    openBrowser: (url) => {
      console.log(
        `Open this address in your browser to let Trove read your Drive:\n\n  ${terminalSafe(url)}\n\nWaiting for Google…`,
      );
    },
  });
  console.log('Google Drive connected.');
  await followUntilIdle(core, 'Syncing');
}
