import * as vscode from 'vscode';

import { messageOf } from '../../model/error-message';
import {
  type ConnectionChecks,
  type ConnectionState,
  describeConnections,
  type LocalSandbox,
  type TokenState,
} from '../connection-state';
import type { MigrationFolder } from '../migration-folder';
import type { SecretStore } from '../secrets';

const ICONS: Record<ConnectionState['status'], { icon: string; color: string }> = {
  verified: { icon: 'pass-filled', color: 'testing.iconPassed' },
  connected: { icon: 'circle-large-filled', color: 'charts.blue' },
  failed: { icon: 'error', color: 'problemsErrorIcon.foreground' },
  incomplete: { icon: 'warning', color: 'problemsWarningIcon.foreground' },
  notConnected: { icon: 'circle-large-outline', color: 'disabledForeground' },
  off: { icon: 'circle-slash', color: 'disabledForeground' },
};

const CONNECT_COMMANDS: Record<ConnectionState['id'], string> = {
  source: 'st2ic.connectSource',
  intercom: 'st2ic.connectIntercom',
  ai: 'st2ic.setAiKey',
};

type Node =
  | { kind: 'connection'; state: ConnectionState }
  | { kind: 'token'; token: TokenState }
  | { kind: 'error'; message: string };

/** SmarterTrack, Intercom and AI entries built from migration/config.json and which secrets exist. */
export class ConnectionsView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly folder: MigrationFolder,
    private readonly secrets: SecretStore,
    private readonly checks: () => ConnectionChecks,
    private readonly sandbox: () => LocalSandbox | undefined = () => undefined,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  /** The entries as the view shows them now; throws when migration/config.json cannot be read. */
  async states(): Promise<ConnectionState[]> {
    const [config, presence, tokens] = await Promise.all([
      this.folder.readConfig(),
      this.secrets.presence(),
      this.secrets.intercomTokenCount(),
    ]);
    return describeConnections(config, presence, this.checks(), tokens, this.sandbox());
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node)
      return node.kind === 'connection' ? (node.state.tokens ?? []).map((token) => ({ kind: 'token', token })) : [];
    try {
      return (await this.states()).map((state) => ({ kind: 'connection', state }));
    } catch (error) {
      return [{ kind: 'error', message: messageOf(error) }];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'error') {
      const item = new vscode.TreeItem('migration/config.json is invalid');
      item.description = node.message;
      item.tooltip = node.message;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.command = { command: 'st2ic.openMigrationFolder', title: 'Open Migration Folder' };
      return item;
    }
    if (node.kind === 'token') {
      const { token } = node;
      const item = new vscode.TreeItem(token.label);
      item.description = token.description;
      item.tooltip = token.tooltip;
      const look = ICONS[token.status];
      item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
      item.contextValue = `connection.intercom.token.${token.status}`;
      return item;
    }
    const { state } = node;
    const item = new vscode.TreeItem(
      state.label,
      state.tokens ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `connection.${state.id}`;
    item.description = state.description;
    item.tooltip = state.tooltip;
    const look = ICONS[state.status];
    item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
    item.contextValue = `connection.${state.id}.${state.status}`;
    if (state.command) item.command = { command: state.command, title: state.label };
    else if (state.status === 'incomplete' || state.status === 'notConnected' || state.status === 'off')
      item.command = { command: CONNECT_COMMANDS[state.id], title: state.label };
    return item;
  }
}
