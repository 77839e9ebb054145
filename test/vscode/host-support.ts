import assert from 'node:assert/strict';

import * as vscode from 'vscode';

import type { TestApi } from '../../src/extension/extension';
import type { Prompts } from '../../src/extension/prompts';

// Shared by the suites that run inside the extension host.

const EXTENSION_ID = 'st2ic.smartertrack-to-intercom';

type Answer = { pick: string } | { input: string } | { confirm: boolean } | { file: string };

/** Answers questions in order; a question nobody scripted fails the test instead of hanging. */
export class ScriptedPrompts implements Prompts {
  readonly asked: string[] = [];
  /** Every input box as it was opened (title, placeholder…), and the scripted answers its validation refused. */
  readonly inputs: vscode.InputBoxOptions[] = [];
  readonly refused: string[] = [];
  private answers: Answer[] = [];
  script(...answers: Answer[]): void {
    this.answers = answers;
  }
  private next<K extends 'pick' | 'input' | 'confirm' | 'file'>(
    kind: K,
    question: string,
  ): Extract<Answer, Record<K, unknown>> {
    this.asked.push(question);
    const answer = this.answers.shift();
    if (!answer || !(kind in answer)) throw new Error(`unexpected ${kind} question: ${question}`);
    return answer as Extract<Answer, Record<K, unknown>>;
  }
  async pick<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    const { pick } = this.next('pick', options.title ?? options.placeHolder ?? '');
    const item = items.find((i) => i.label === pick);
    assert.ok(item, `no item "${pick}" among ${items.map((i) => i.label).join(', ')}`);
    return item;
  }
  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    this.inputs.push(options);
    const { input } = this.next('input', options.prompt ?? '');
    // An answer the box would not accept cannot be submitted: the person can only press Escape.
    if (await options.validateInput?.(input)) {
      this.refused.push(input);
      return undefined;
    }
    return input;
  }
  async confirm(message: string): Promise<boolean> {
    return this.next('confirm', message).confirm;
  }
  async openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
    return vscode.Uri.file(this.next('file', options.title ?? '').file);
  }
}

export function api(): TestApi {
  const exports = vscode.extensions.getExtension<TestApi>(EXTENSION_ID)?.exports;
  assert.ok(exports, 'the extension returns its test API in ExtensionMode.Test');
  return exports;
}
