import * as vscode from 'vscode';

import type { Ctx } from './context';
import type { Notice } from './editor-wording';

/**
 * Shows a notice (an information, or a warning when there is something to act on) and carries out the
 * button pressed: a command, or a report opened (Markdown as a preview). Kept in ctx.notices for the
 * extension-host tests, which cannot read notifications.
 */
export function showNotice(ctx: Ctx, notice: Notice): void {
  ctx.notices.push(notice);
  if (ctx.notices.length > 20) ctx.notices.shift();
  const titles = notice.actions.map((a) => a.title);
  const shown =
    notice.level === 'warning'
      ? vscode.window.showWarningMessage(notice.text, ...titles)
      : vscode.window.showInformationMessage(notice.text, ...titles);
  void shown.then(async (title) => {
    const action = notice.actions.find((a) => a.title === title);
    if (!action) return;
    if ('open' in action) {
      const uri = vscode.Uri.file(action.open);
      await (action.open.endsWith('.md')
        ? vscode.commands.executeCommand('markdown.showPreview', uri)
        : vscode.commands.executeCommand('vscode.open', uri));
    } else await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  });
}
