/**
 * Ids of the commands the manifest contributes. Kept free of `vscode` so the manifest test can read
 * it; the command table in commands.ts must cover exactly these (checked by the compiler).
 */
export const COMMAND_IDS = [
  'st2ic.showOutput',
  'st2ic.initMigrationFolder',
  'st2ic.openMigrationFolder',
  'st2ic.connectSource',
  'st2ic.testSource',
  'st2ic.disconnectSource',
  'st2ic.connectIntercom',
  'st2ic.testIntercom',
  'st2ic.disconnectIntercom',
  'st2ic.setAiKey',
  'st2ic.testAi',
  'st2ic.disconnectAi',
  'st2ic.forgetSecrets',
  'st2ic.refreshViews',
  'st2ic.scope',
  'st2ic.configureWorkspace',
  'st2ic.proposeMap',
  'st2ic.openMapping',
  'st2ic.confirmMap',
  'st2ic.runSample',
  'st2ic.runFull',
  'st2ic.runDelta',
  'st2ic.runDryRun',
  'st2ic.openRunReport',
  'st2ic.openRunJournal',
  'st2ic.validateRun',
  'st2ic.rollbackRun',
  'st2ic.rebuildInventory',
  'st2ic.startSandbox',
  'st2ic.stopSandbox',
] as const;
export type CommandId = (typeof COMMAND_IDS)[number];
