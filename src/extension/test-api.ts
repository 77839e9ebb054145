import * as vscode from 'vscode';

import type { Ctx } from './context';
import type { ContextValues } from './context-keys';
import type { Notice } from './editor-wording';
import type { MappingEditorProbe, MappingEditorProvider } from './mapping-editor/mapping-editor';
import { type Prompts, vscodePrompts } from './prompts';
import { runningSandbox } from './sandbox';
import type { SecretStore } from './secrets';

// What the extension's own tests reach through activate()'s return value. Built only in
// ExtensionMode.Test: a user's VS Code gets no test hooks.

/** One row of a tree view as the tests read it, with its children one level down. */
interface TreeRow {
  label: string;
  description: string;
  command?: string;
  contextValue?: string;
  icon?: string;
  children?: Omit<TreeRow, 'children'>[];
}

/** Returned by activate() only when VS Code runs the extension's own tests (ExtensionMode.Test). */
export interface TestApi {
  readonly secrets: SecretStore;
  readonly activationMs: number;
  /** Answers the extension's questions (pickers, input boxes, modal dialogs) from the test. */
  usePrompts(prompts: Prompts | undefined): void;
  /** The running sandbox, and whether its status bar item has a background colour. */
  sandbox(): { url: string; token: string; statusBackground: boolean } | undefined;
  /** Labels and descriptions the tree views show now. */
  tree(view: 'connections' | 'migration' | 'runs'): Promise<TreeRow[]>;
  /** The folder VS Code writes this extension's log channel to. */
  readonly logUri: vscode.Uri;
  /** An open mapping editor, to speak for its webview (messages go through the same checks). */
  mappingEditor(uri?: vscode.Uri): MappingEditorProbe | undefined;
  /** The context keys as last set for the manifest's when and enablement clauses. */
  contextKeys(): Partial<ContextValues>;
  /** The notices shown after runs and validations, oldest first (level, text, buttons). */
  notices(): readonly Notice[];
}

type TreeView = 'connections' | 'migration' | 'runs';

export function testApiOf(deps: {
  ctx: Ctx;
  secrets: SecretStore;
  activationMs: number;
  editors: MappingEditorProvider;
  views: Record<TreeView, vscode.TreeDataProvider<unknown>>;
  contextKeys: () => Partial<ContextValues>;
}): TestApi {
  const { ctx } = deps;
  return {
    secrets: deps.secrets,
    activationMs: deps.activationMs,
    usePrompts: (prompts) => (ctx.prompts = prompts ?? vscodePrompts),
    sandbox: runningSandbox,
    logUri: ctx.extension.logUri,
    mappingEditor: (uri) => deps.editors.probe(uri),
    contextKeys: () => ({ ...deps.contextKeys() }),
    notices: () => [...ctx.notices],
    tree: (view) => treeRows(deps.views[view]),
  };
}

async function treeRows(provider: vscode.TreeDataProvider<unknown>): Promise<TreeRow[]> {
  const nodes = (await provider.getChildren()) ?? [];
  const row = async (n: unknown) => {
    const item = await provider.getTreeItem(n);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
    return {
      label,
      description: typeof item.description === 'string' ? item.description : '',
      ...(item.command ? { command: item.command.command } : {}),
      ...(item.contextValue ? { contextValue: item.contextValue } : {}),
      ...(icon ? { icon } : {}),
    };
  };
  return Promise.all(
    nodes.map(async (n) => {
      const children = (await provider.getChildren(n)) ?? [];
      return { ...(await row(n)), ...(children.length ? { children: await Promise.all(children.map(row)) } : {}) };
    }),
  );
}
