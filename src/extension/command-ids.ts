/**
 * Ids of the commands the manifest contributes. Kept free of `vscode` so the manifest test can read
 * it; the command table in commands.ts must cover exactly these (checked by the compiler).
 */
export const COMMAND_IDS = [
  'st2ic.showOutput',
  'st2ic.initMigrationFolder',
  'st2ic.openMigrationFolder',
  'st2ic.connectSource',
  'st2ic.connectIntercom',
  'st2ic.setAiKey',
  'st2ic.forgetSecrets',
  'st2ic.refreshViews',
] as const;
export type CommandId = (typeof COMMAND_IDS)[number];
