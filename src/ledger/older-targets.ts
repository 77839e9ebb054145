import type { FormatVersion, IntentEntry, WriteTarget } from '../model/journal';

/**
 * The reader for intents written before format 2, whose targets carried some facts only in their
 * description. Each pattern below is the exact text those versions wrote; it is read here, once, so
 * resume and rollback only ever read typed fields.
 */
export function typedTargetOfOlderFormat(intent: IntentEntry, format: FormatVersion): WriteTarget {
  const target = intent.target;
  if (format >= 2) return target;
  const customObject = /^POST \/custom_object_instances\/([^ ]+) /.exec(target.description);
  if (customObject && target.resource === 'conversation')
    return { ...target, resource: 'custom_object_instance', customObjectType: customObject[1]! };
  if (intent.op === 'close' || intent.op === 'open') {
    const admin = / as admin (\d+)/.exec(target.description);
    return admin ? { ...target, actingAdminId: admin[1]! } : target;
  }
  if (intent.op === 'tag') {
    // Only conversations were named by their Intercom id; contacts and companies by their source id.
    const conversation = /^tag conversation (\d+) /.exec(target.description);
    return conversation ? { ...target, tagged: { object: 'conversation', id: conversation[1]! } } : target;
  }
  return target;
}
