import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Commands, views and webviews are registered here (see DESIGN.md, src/extension).
}

export function deactivate(): void {}
