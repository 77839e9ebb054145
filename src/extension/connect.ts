import * as vscode from 'vscode';
import { INTERCOM_REGIONS, sourceConfigSchema, type IntercomRegion, type SourceConfig } from '../model/migration-config';
import type { Ctx } from './context';

// Interactive flows that record a connection: non-secret parts go to migration/config.json, the
// password, token or key to SecretStorage. Checking that the credentials work belongs to the source
// reader and the Intercom client; these flows only store what the user typed.

const required = (what: string) => (value: string) => (value.trim().length === 0 ? `${what} is required` : undefined);

async function ask(prompt: string, options: Omit<vscode.InputBoxOptions, 'prompt'> = {}): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({ prompt, ignoreFocusOut: true, ...options });
  return value?.trim();
}

async function askSource(current: SourceConfig | undefined): Promise<SourceConfig | undefined> {
  const kinds = [
    { label: 'SQL Server', description: 'the SmarterTrack database on Microsoft SQL Server', sourceKind: 'sqlserver' as const },
    { label: 'SQLite', description: 'the database file of a current SmarterTrack build', sourceKind: 'sqlite' as const },
    { label: 'Web Services', description: 'a hosted SmarterTrack site, through its SOAP services', sourceKind: 'soap' as const },
  ];
  const picked = await vscode.window.showQuickPick(kinds, { title: 'Connect SmarterTrack', placeHolder: 'Where is the SmarterTrack data?', ignoreFocusOut: true });
  if (!picked) return undefined;
  const same = current?.kind === picked.sourceKind ? current : undefined;
  if (picked.sourceKind === 'sqlite') {
    const file = await ask('Path of the SQLite database (absolute, or relative to the workspace folder)', { value: same?.kind === 'sqlite' ? same.file : '', validateInput: required('The path') });
    return file ? sourceConfigSchema.parse({ kind: 'sqlite', file }) : undefined;
  }
  if (picked.sourceKind === 'soap') {
    const url = await ask('Base URL of the SmarterTrack site', {
      value: same?.kind === 'soap' ? same.url : 'https://',
      validateInput: (v) => (URL.canParse(v.trim()) ? undefined : 'Enter a URL such as https://help.example.com'),
    });
    if (!url) return undefined;
    const user = await ask('SmarterTrack administrator user name', { value: same?.kind === 'soap' ? same.user : '', validateInput: required('The user name') });
    return user ? sourceConfigSchema.parse({ kind: 'soap', url, user }) : undefined;
  }
  const prior = same?.kind === 'sqlserver' ? same : undefined;
  const server = await ask('SQL Server host name (optionally host\\instance)', { value: prior?.server ?? '', validateInput: required('The server') });
  if (!server) return undefined;
  const port = await ask('Port', { value: String(prior?.port ?? 1433), validateInput: (v) => (/^\d{1,5}$/.test(v.trim()) ? undefined : 'Enter a port number') });
  if (!port) return undefined;
  const database = await ask('Database name', { value: prior?.database ?? '', validateInput: required('The database') });
  if (!database) return undefined;
  const user = await ask('Login (read access to the st_* tables is enough)', { value: prior?.user ?? '', validateInput: required('The login') });
  if (!user) return undefined;
  return sourceConfigSchema.parse({ kind: 'sqlserver', server, port: Number(port), database, user, encrypt: prior?.encrypt, trustServerCertificate: prior?.trustServerCertificate });
}

export async function connectSource(ctx: Ctx): Promise<void> {
  const current = (await ctx.folder.readConfig())?.source;
  const source = await askSource(current);
  if (!source) return;
  if (source.kind !== 'sqlite') {
    const password = await ask(`Password of ${source.user} (kept in secret storage)`, { password: true, validateInput: required('The password') });
    if (!password) return;
    await ctx.secrets.store('smartertrackPassword', password);
  }
  await ctx.folder.updateConfig(() => ctx.defaultConfig(), (config) => ({ ...config, source }));
  ctx.log.info(`SmarterTrack source set to ${source.kind}${source.kind === 'sqlite' ? '' : ' (password in secret storage)'}`);
  await ctx.refreshViews();
}

export async function connectIntercom(ctx: Ctx): Promise<void> {
  const config = (await ctx.folder.readConfig()) ?? ctx.defaultConfig();
  const regions = INTERCOM_REGIONS.map((region) => ({ label: region.toUpperCase(), region, picked: region === config.intercom.region }));
  const picked = await vscode.window.showQuickPick(regions, { title: 'Connect Intercom', placeHolder: `Region of the Intercom workspace (now ${config.intercom.region.toUpperCase()})`, ignoreFocusOut: true });
  if (!picked) return;
  const token = await ask('Intercom access token (Developer Hub → your app → Authentication); kept in secret storage', { password: true, validateInput: required('The token') });
  if (!token) return;
  await ctx.secrets.store('intercomToken', token);
  const region: IntercomRegion = picked.region;
  await ctx.folder.updateConfig(() => ctx.defaultConfig(), (c) => ({ ...c, intercom: { ...c.intercom, region } }));
  ctx.log.info(`Intercom set to region ${region} (token in secret storage)`);
  await ctx.refreshViews();
}

export async function setAiKey(ctx: Ctx): Promise<void> {
  const key = await ask('API key of the AI provider (kept in secret storage)', { password: true, validateInput: required('The key') });
  if (!key) return;
  await ctx.secrets.store('aiKey', key);
  ctx.log.info('AI key stored in secret storage');
  const config = await ctx.folder.readConfig();
  if (config && !config.ai.enabled) {
    void vscode.window.showInformationMessage('AI key stored. The AI proposer is still off: set "ai.enabled" to true in migration/config.json to use it.');
  }
  await ctx.refreshViews();
}

export async function forgetSecrets(ctx: Ctx): Promise<void> {
  const answer = await vscode.window.showWarningMessage(
    'Forget the stored Intercom token, SmarterTrack password and AI key?',
    { modal: true, detail: 'migration/config.json is not changed.' },
    'Forget',
  );
  if (answer !== 'Forget') return;
  await ctx.secrets.forgetAll();
  ctx.log.info('Stored secrets forgotten');
  await ctx.refreshViews();
}
