import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import * as vscode from 'vscode';

import { messageOf } from '../model/error-message';
import {
  INTERCOM_REGIONS,
  type IntercomRegion,
  type MigrationConfig,
  type SourceConfig,
  sourceConfigSchema,
} from '../model/migration-config';
import { CONFIG_FILE } from '../model/workspace-paths';
import { checkTarget, type ConnectionId, type TokenCheckResult } from './connection-state';
import type { Ctx } from './context';
import { runningSandbox } from './sandbox';

// Interactive flows that record a connection (non-secret parts to migration/config.json, the
// password, token or key to SecretStorage), test it through the source reader or the Intercom
// client, and forget it again.

const required = (what: string) => (value: string) => (value.trim().length === 0 ? `${what} is required` : undefined);

/** A path inside the workspace folder is stored relative to it, so the folder can be committed and moved. */
function storedPath(ctx: Ctx, file: string): string {
  const base = ctx.folder.workspaceFolder()?.uri.fsPath;
  if (!base) return file;
  const relative = path.relative(base, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : file;
}

async function askSqlite(ctx: Ctx, prior: SourceConfig | undefined): Promise<SourceConfig | undefined> {
  const folder = ctx.folder.workspaceFolder()?.uri;
  const file = await ctx.prompts.openFile({
    title: 'SmarterTrack SQLite database',
    openLabel: 'Connect',
    ...(folder ? { defaultUri: folder } : {}),
    filters: { 'SQLite database': ['db', 'sqlite', 'sqlite3'], 'All files': ['*'] },
  });
  if (!file) return undefined;
  // Attachments live under App_Data next to the database in a SmarterTrack install.
  const appData = path.join(path.dirname(file.fsPath), 'App_Data');
  const attachments =
    existsSync(appData) && statSync(appData).isDirectory()
      ? storedPath(ctx, appData)
      : prior?.kind === 'sqlite'
        ? prior.attachments
        : undefined;
  return sourceConfigSchema.parse({
    kind: 'sqlite',
    file: storedPath(ctx, file.fsPath),
    ...(attachments ? { attachments } : {}),
  });
}

async function askSource(ctx: Ctx, current: SourceConfig | undefined): Promise<SourceConfig | undefined> {
  const kinds = [
    {
      label: 'SQLite',
      description: 'the database file of a current SmarterTrack build',
      sourceKind: 'sqlite' as const,
    },
    {
      label: 'SQL Server',
      description: 'the SmarterTrack database on Microsoft SQL Server',
      sourceKind: 'sqlserver' as const,
    },
    {
      label: 'Web Services',
      description: 'a hosted SmarterTrack site, through its SOAP services',
      sourceKind: 'soap' as const,
    },
  ];
  const picked = await ctx.prompts.pick(kinds, {
    title: 'Connect SmarterTrack',
    placeHolder: 'Where is the SmarterTrack data?',
  });
  if (!picked) return undefined;
  const same = current?.kind === picked.sourceKind ? current : undefined;
  if (picked.sourceKind === 'sqlite') return askSqlite(ctx, same);
  if (picked.sourceKind === 'soap') {
    const url = await ctx.prompts.input({
      prompt: 'Base URL of the SmarterTrack site',
      value: same?.kind === 'soap' ? same.url : 'https://',
      validateInput: (v) => (URL.canParse(v.trim()) ? undefined : 'Enter a URL such as https://help.example.com'),
    });
    if (!url) return undefined;
    const user = await ctx.prompts.input({
      prompt: 'SmarterTrack administrator user name',
      value: same?.kind === 'soap' ? same.user : '',
      validateInput: required('The user name'),
    });
    return user ? sourceConfigSchema.parse({ kind: 'soap', url, user }) : undefined;
  }
  const prior = same?.kind === 'sqlserver' ? same : undefined;
  const server = await ctx.prompts.input({
    prompt: 'SQL Server host name (optionally host\\instance)',
    value: prior?.server ?? '',
    validateInput: required('The server'),
  });
  if (!server) return undefined;
  const port = await ctx.prompts.input({
    prompt: 'Port',
    value: String(prior?.port ?? 1433),
    validateInput: (v) => (/^\d{1,5}$/.test(v.trim()) ? undefined : 'Enter a port number'),
  });
  if (!port) return undefined;
  const database = await ctx.prompts.input({
    prompt: 'Database name',
    value: prior?.database ?? '',
    validateInput: required('The database'),
  });
  if (!database) return undefined;
  const user = await ctx.prompts.input({
    prompt: 'Login (read access to the st_* tables is enough)',
    value: prior?.user ?? '',
    validateInput: required('The login'),
  });
  if (!user) return undefined;
  return sourceConfigSchema.parse({
    kind: 'sqlserver',
    server,
    port: Number(port),
    database,
    user,
    encrypt: prior?.encrypt,
    trustServerCertificate: prior?.trustServerCertificate,
  });
}

export async function connectSource(ctx: Ctx): Promise<void> {
  const current = (await ctx.folder.readConfig())?.source;
  const source = await askSource(ctx, current);
  if (!source) return;
  if (source.kind !== 'sqlite') {
    const password = await ctx.prompts.input({
      prompt: `Password of ${source.user} (kept in secret storage)`,
      password: true,
      validateInput: required('The password'),
    });
    if (!password) return;
    await ctx.secrets.store('smartertrackPassword', password);
  }
  await ctx.folder.updateConfig(
    () => ctx.defaultConfig(),
    (config) => ({ ...config, source }),
  );
  ctx.log.info(
    `SmarterTrack source set to ${source.kind}${source.kind === 'sqlite' ? ` (${source.file})` : ' (password in secret storage)'}`,
  );
  await ctx.refreshViews();
  await testSource(ctx);
}

type IntercomChoice = {
  label: string;
  description?: string;
  choice: { region: IntercomRegion } | { custom: true } | { sandbox: { url: string; token: string } };
};

export async function connectIntercom(ctx: Ctx): Promise<void> {
  const config = (await ctx.folder.readConfig()) ?? ctx.defaultConfig();
  const sandbox = runningSandbox();
  const choices: IntercomChoice[] = [
    ...(sandbox
      ? [
          {
            label: 'Local sandbox',
            description: `running at ${sandbox.url}`,
            choice: { sandbox: { url: sandbox.url, token: sandbox.token } },
          },
        ]
      : []),
    ...INTERCOM_REGIONS.map((region) => ({
      label: region.toUpperCase(),
      description: `api${region === 'us' ? '' : `.${region}`}.intercom.io`,
      choice: { region },
    })),
    { label: 'Custom base URL…', description: 'a local sandbox or a proxy', choice: { custom: true as const } },
  ];
  const picked = await ctx.prompts.pick(choices, {
    title: 'Connect Intercom',
    placeHolder: `Region of the Intercom workspace (now ${(config.intercom.baseUrl ?? config.intercom.region).toUpperCase()})`,
  });
  if (!picked) return;
  const choice = picked.choice;
  let baseUrl: string | undefined;
  let token: string | undefined;
  if ('sandbox' in choice) ({ url: baseUrl, token } = choice.sandbox);
  else if ('custom' in choice) {
    baseUrl = await ctx.prompts.input({
      prompt: 'Base URL of the Intercom-compatible API',
      value: config.intercom.baseUrl ?? 'http://127.0.0.1:',
      validateInput: (v) => (URL.canParse(v.trim()) ? undefined : 'Enter a URL'),
    });
    if (!baseUrl) return;
  }
  token ??= await ctx.prompts.input({
    prompt:
      'Intercom access token (Developer Hub → your app → Authentication); several apps of the same workspace, comma-separated, run faster; kept in secret storage',
    password: true,
    validateInput: required('The token'),
  });
  if (!token) return;
  await ctx.secrets.store('intercomToken', token);
  const region: IntercomRegion = 'region' in choice ? choice.region : config.intercom.region;
  const updated = await ctx.folder.updateConfig(
    () => ctx.defaultConfig(),
    (c) => {
      const { baseUrl: _old, ...intercom } = c.intercom;
      return { ...c, intercom: { ...intercom, region, ...(baseUrl ? { baseUrl } : {}) } };
    },
  );
  ctx.log.info(
    `Intercom set to ${baseUrl ?? `region ${region}`} (token in secret storage); ${vscode.workspace.asRelativePath(updated)}`,
  );
  await ctx.refreshViews();
  // Test at once only where that stays on this machine; a regional host is tested on request.
  if (baseUrl && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(baseUrl)) await testIntercom(ctx);
  else
    void vscode.window
      .showInformationMessage(`Intercom token stored for region ${region.toUpperCase()}.`, 'Test Connection')
      .then((a) => a && testIntercom(ctx));
}

export async function setAiKey(ctx: Ctx): Promise<void> {
  const key = await ctx.prompts.input({
    prompt: 'API key of the AI provider (kept in secret storage)',
    password: true,
    validateInput: required('The key'),
  });
  if (!key) return;
  await ctx.secrets.store('aiKey', key);
  ctx.log.info('AI key stored in secret storage');
  const config = await ctx.folder.readConfig();
  if (config && !config.ai.enabled) {
    void vscode.window.showInformationMessage(
      'AI key stored. The AI proposer is still off: set "ai.enabled" to true in migration/config.json to use it.',
    );
  }
  await ctx.refreshViews();
}

async function record(
  ctx: Ctx,
  id: ConnectionId,
  config: MigrationConfig,
  ok: boolean,
  summary: string,
  tokens?: TokenCheckResult[],
): Promise<boolean> {
  await ctx.recordCheck(id, {
    ok,
    target: checkTarget(id, config),
    summary,
    at: ctx.clock.now().toISOString(),
    ...(tokens ? { tokens } : {}),
  });
  await ctx.refreshViews();
  return ok;
}

/** Opens the source and reads its description: the same path every run takes. Returns whether it worked. */
export async function testSource(ctx: Ctx): Promise<boolean> {
  const { openReader, requireConfig } = await import('./engine-access');
  const config = await requireConfig(ctx);
  try {
    const reader = await openReader(ctx, config);
    try {
      const d = await reader.describe();
      const summary = `${d.engine} · ${path.basename(d.location)}`;
      ctx.log.info(`SmarterTrack test passed: ${d.engine} ${d.location}`);
      return await record(ctx, 'source', config, true, summary);
    } finally {
      await reader.close();
    }
  } catch (error) {
    ctx.log.error(`SmarterTrack test failed: ${messageOf(error)}`);
    void vscode.window.showErrorMessage(`SmarterTrack: ${messageOf(error)}`);
    return record(ctx, 'source', config, false, messageOf(error));
  }
}

/** GET /me for each token: proves it and names the workspace and its region. */
export async function testIntercom(ctx: Ctx): Promise<boolean> {
  const [{ openClient, requireConfig }, { checkEachToken, tokenProblem }] = await Promise.all([
    import('./engine-access'),
    import('../engine/target-binding'),
  ]);
  const config = await requireConfig(ctx);
  try {
    const client = await openClient(ctx, config);
    // Every token on its own: a refused one, or one of another workspace, is named by its place.
    const checks = await checkEachToken(client);
    const several = checks.length > 1;
    const tokens = checks.map((c) => ({
      number: c.number,
      ok: c.ok,
      summary: c.ok ? `${c.workspace.appName} (${c.workspace.appIdCode}) as ${c.admin}` : c.reason,
    }));
    const problem = tokenProblem(checks);
    if (problem) {
      ctx.log.error(`Intercom test failed: ${problem}`);
      void vscode.window.showErrorMessage(`Intercom: ${problem}`);
      return await record(ctx, 'intercom', config, false, problem, several ? tokens : undefined);
    }
    const first = checks[0];
    const me = first?.ok ? first : undefined;
    const name = me?.workspace.appName ?? 'unnamed workspace';
    const region = (me?.workspace.region ?? config.intercom.region).toUpperCase();
    ctx.log.info(
      `Intercom test passed: workspace "${name}" (${region}) as ${me?.admin ?? 'unknown admin'}${several ? `, ${checks.length} tokens` : ''}`,
    );
    return await record(
      ctx,
      'intercom',
      config,
      true,
      `${name} · ${region}${several ? ` · ${checks.length} tokens` : ''}`,
      several ? tokens : undefined,
    );
  } catch (error) {
    ctx.log.error(`Intercom test failed: ${messageOf(error)}`);
    void vscode.window.showErrorMessage(`Intercom: ${messageOf(error)}`);
    return record(ctx, 'intercom', config, false, messageOf(error));
  }
}

/** Checks the AI settings and the stored key as the proposer will (resolveAiAccess); no request is sent. */
export async function testAi(ctx: Ctx): Promise<boolean> {
  const [{ requireConfig }, { resolveAiAccess }] = await Promise.all([
    import('./engine-access'),
    import('../mapping/ai-proposer'),
  ]);
  const config = await requireConfig(ctx);
  const access = resolveAiAccess(config.ai, await ctx.secrets.get('aiKey'), {});
  const summary = access.use
    ? `${config.ai.model} · ${access.baseUrl ?? 'provider default URL'} (settings checked, no request sent)`
    : access.reason;
  ctx.log.info(`AI settings: ${summary}`);
  if (!access.use) void vscode.window.showWarningMessage(`AI proposer: ${summary}`);
  return record(ctx, 'ai', config, access.use, summary);
}

export async function disconnectSource(ctx: Ctx): Promise<void> {
  if (
    !(await ctx.prompts.confirm(
      'Disconnect SmarterTrack?',
      'The source is removed from migration/config.json and its password from secret storage. Runs and reports stay.',
      'Disconnect',
    ))
  )
    return;
  await ctx.folder.updateConfig(
    () => ctx.defaultConfig(),
    ({ source: _source, ...rest }) => rest,
  );
  await ctx.secrets.delete('smartertrackPassword');
  await ctx.recordCheck('source', undefined);
  ctx.log.info('SmarterTrack disconnected');
  await ctx.refreshViews();
}

export async function disconnectIntercom(ctx: Ctx): Promise<void> {
  if (
    !(await ctx.prompts.confirm(
      'Disconnect Intercom?',
      'The access token is removed from secret storage (and a custom base URL from migration/config.json). Nothing in Intercom changes.',
      'Disconnect',
    ))
  )
    return;
  await ctx.secrets.delete('intercomToken');
  if (await ctx.folder.exists(CONFIG_FILE)) {
    await ctx.folder.updateConfig(
      () => ctx.defaultConfig(),
      (c) => {
        const { baseUrl: _url, ...intercom } = c.intercom;
        return { ...c, intercom };
      },
    );
  }
  await ctx.recordCheck('intercom', undefined);
  ctx.log.info('Intercom disconnected');
  await ctx.refreshViews();
}

export async function disconnectAi(ctx: Ctx): Promise<void> {
  await ctx.secrets.delete('aiKey');
  await ctx.recordCheck('ai', undefined);
  ctx.log.info('AI key removed from secret storage');
  await ctx.refreshViews();
}

export async function forgetSecrets(ctx: Ctx): Promise<void> {
  if (
    !(await ctx.prompts.confirm(
      'Forget the stored Intercom token, SmarterTrack password and AI key?',
      'migration/config.json is not changed.',
      'Forget',
    ))
  )
    return;
  await ctx.secrets.forgetAll();
  ctx.log.info('Stored secrets forgotten');
  await ctx.refreshViews();
}
