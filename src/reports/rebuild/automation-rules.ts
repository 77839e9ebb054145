import type { RebuildEntry, RebuildSection } from '../../model/reports';
import type { AutomationRule } from '../../model/source';

/** SmarterTrack event types → the Intercom workflow trigger closest to them. */
const TRIGGERS: [RegExp, string][] = [
  [
    /^(ticket|chat)(created|new|started)$/i,
    'Trigger "Customer sends their first message" (or "Customer opens a new conversation")',
  ],
  [
    /idle|waiting|unanswered|unresponsive/i,
    'Trigger "Customer unresponsive" or "Teammate unresponsive" with the same waiting time (a background workflow)',
  ],
  [
    /chatmissed|missed/i,
    'Trigger "Customer sends their first message" with an Office hours branch (chats that nobody answers)',
  ],
  [/closed|close/i, 'Trigger "Teammate changes the conversation state" (closed)'],
  [
    /updated|changed|reply|replied|response/i,
    'Trigger "Customer sends a message" or "Teammate changes the conversation state", whichever started the rule',
  ],
];

/** SmarterTrack condition keys → Intercom workflow rule attributes. */
const CONDITION_ATTRIBUTES: [RegExp, string][] = [
  [/idle|age|hours|days|minutes/i, 'a "Wait" step (or the waiting time of the trigger)'],
  [/priority/i, 'Conversation data → Priority'],
  [/department|group/i, 'Conversation data → Team assigned'],
  [/agent|assigned/i, 'Conversation data → Teammate assigned'],
  [/businesshours|office/i, 'an Office hours branch (Settings → Office hours)'],
  [/status|state/i, 'Conversation data → State'],
  [/spam/i, 'Conversation data → Spam (Intercom filters spam itself)'],
  [/email|customer|tier|user|company/i, 'People data (a contact or company attribute)'],
  [/subject|body|text|keyword/i, 'Message content → "Customer message contains"'],
];

/** SmarterTrack action keys → Intercom workflow actions. */
const ACTIONS: [RegExp, (arg: string) => string][] = [
  [/transfer|togroup|todepartment/i, (arg) => `Action "Assign to" team ${arg ? `"${arg}"` : '(the matching team)'}`],
  [/assigntoagent|assignagent|assign/i, (arg) => `Action "Assign to" teammate ${arg ? `"${arg}"` : ''}`.trim()],
  [/setpriority|priority/i, () => 'Action "Mark as priority"'],
  [/setstatus|close/i, () => 'Action "Close conversation" (or "Snooze")'],
  [
    /autoresponder|autoreply/i,
    (arg) =>
      `Action "Send message" with the text of the "${arg || 'auto-responder'}" template (inside an Office hours branch if it was an after-hours reply)`,
  ],
  [
    /sendemail|notify|email/i,
    (arg) =>
      `Action "Notify teammate"/"Notify team"${arg ? ` (was an email to ${arg}; Intercom workflows do not email outside addresses, use a Slack or email notification from Settings → Notifications)` : ''}`,
  ],
  [/addtag|tag/i, (arg) => `Action "Tag conversation"${arg ? ` "${arg}"` : ''}`],
  [
    /createticket/i,
    () =>
      'Nothing to build: every chat is already a conversation in Intercom (convert to a ticket with action "Convert to ticket" if you use Intercom tickets)',
  ],
  [
    /delete/i,
    () =>
      'No workflow deletes conversations: use data retention settings (Settings → Data → Data retention), or drop the rule',
  ],
  [/comment|note/i, (arg) => `Action "Add note"${arg ? ` "${arg}"` : ''}`],
];

/** SmarterTrack event rules: one entry per rule, its conditions and actions as workflow steps. */
export function automationRulesSection(rules: AutomationRule[]): RebuildSection {
  return {
    area: 'automationRules',
    title: 'Automation rules (SmarterTrack events)',
    summary:
      'SmarterTrack event rules do not migrate: Intercom has no API to create workflows. Rebuild each active rule as an Intercom Workflow (Automation → Workflows → New workflow); inactive rules are listed so you can decide to drop them.',
    count: rules.length,
    entries: rules.map(automationEntry),
  };
}

function isActive(rule: AutomationRule): boolean {
  return rule.active && rule.enabled !== false;
}

function describeCondition(c: AutomationRule['conditions'][number]): string {
  const values = [c.value1, c.value2].filter((v): v is string => v !== null && v !== '');
  return `${c.type ? `[${c.type}] ` : ''}${c.key ?? '(no key)'} ${c.condition ?? ''} ${values.join(' and ')}`
    .replace(/\s+/g, ' ')
    .trim();
}

function describeAction(a: AutomationRule['actions'][number]): string {
  const inputs = a.inputs
    .filter((i) => i.value !== null && i.value !== '')
    .map((i) => (i.key ? `${i.key}=${i.value}` : String(i.value)));
  return `${a.key ?? '(no key)'}${inputs.length ? `: ${inputs.join(', ')}` : ''}`;
}

function actionStep(a: AutomationRule['actions'][number]): string {
  const arg = a.inputs.map((i) => i.value).find((v): v is string => !!v) ?? '';
  return (
    ACTIONS.find(([re]) => re.test(a.key ?? ''))?.[1](arg) ??
    `Rebuild "${a.key ?? 'action'}" by hand with the closest workflow action`
  );
}

function workflowSteps(rule: AutomationRule): string[] {
  const active = isActive(rule);
  const eventTypes = [...new Set(rule.conditions.map((c) => c.type).filter((t): t is string => !!t))];
  const triggers = eventTypes.map(
    (t) => TRIGGERS.find(([re]) => re.test(t))?.[1] ?? `Choose the trigger closest to "${t}"`,
  );
  return [
    ...(active ? [] : ['This rule was inactive in SmarterTrack: rebuild it only if it is still wanted.']),
    `Automation → Workflows → New workflow, named "${rule.name ?? `Rule ${rule.id}`}".`,
    ...[...new Set(triggers)].map((t) => `${t}.`),
    ...rule.conditions.map((c) => {
      const attribute = CONDITION_ATTRIBUTES.find(([re]) => re.test(c.key ?? ''))?.[1] ?? 'the matching attribute';
      return `Add a rule: ${describeCondition(c)} → use ${attribute}.`;
    }),
    ...rule.actions.map((a) => `${actionStep(a)}.`),
    ...(rule.repeating
      ? ['It repeated in SmarterTrack: let the workflow match more than once (Settings of the workflow → Frequency).']
      : []),
    active ? 'Test it on a test conversation, then set it live.' : 'Leave it off unless someone asks for it.',
  ];
}

function automationEntry(rule: AutomationRule): RebuildEntry {
  const changed = rule.lastModifiedAt ? `, last changed ${rule.lastModifiedAt.slice(0, 10)}` : '';
  return {
    name: rule.name ?? `Rule ${rule.id}`,
    sourceId: String(rule.id),
    inSmarterTrack: [
      `${isActive(rule) ? 'Active' : 'Inactive'} rule in group "${rule.eventGroup ?? 'none'}"${rule.repeating ? ', repeating' : ''}${changed}`,
      ...rule.conditions.map((c) => `When: ${describeCondition(c)}`),
      ...rule.actions.map((a) => `Then: ${describeAction(a)}`),
    ],
    inIntercom: workflowSteps(rule),
  };
}
