import * as vscode from 'vscode';

/**
 * Every question the extension asks a person goes through here, so the extension-host tests can
 * answer them (TestApi.usePrompts) while users get VS Code's own pickers, boxes and modal dialogs.
 */
export interface Prompts {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  /** A modal dialog; true only when the person chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined>;
}

export const vscodePrompts: Prompts = {
  async pick(items, options) {
    return vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options });
  },
  async input(options) {
    const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
    return value?.trim();
  },
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  async openFile(options) {
    return (await vscode.window.showOpenDialog({ canSelectMany: false, ...options }))?.[0];
  },
};
