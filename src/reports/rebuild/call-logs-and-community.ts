import { MappingOptions } from '../../model/mapping';
import type { RebuildSection } from '../../model/reports';

/** How the map sends call logs; null before there is a map (the scope), when both ways are open. */
export type CallLogChoice = Pick<MappingOptions, 'callLogsAs' | 'callObjectType'> | null;

/** The custom object a new map names, for advice given before there is a map. */
const DEFAULT_CALL_OBJECT = MappingOptions.parse({}).callObjectType;

/** Call logs: one entry for all of them, saying what the map does with them and what to build for it. */
export function callLogsSection(calls: number, choice: CallLogChoice): RebuildSection {
  const objectType = choice?.callObjectType ?? DEFAULT_CALL_OBJECT;
  const asRecords = `To keep calls as records instead, create a custom object (e.g. "${objectType}") in Settings → Data → Custom objects and set options.callLogsAs to "custom-object" in mapping.json before the full run.`;
  const inIntercom =
    choice?.callLogsAs === 'custom-object'
      ? [
          `The map sends them as instances of the custom object "${objectType}": before the run, create it in Settings → Data → Custom objects with attributes for number, subject, phone, start and end time.`,
          'Link the object to Contacts (and Conversations) so agents see calls on the person.',
        ]
      : [
          `${choice ? 'The map sends' : 'By default the map sends'} each call as a closed conversation holding the call notes in an internal note; nothing to build.`,
          asRecords,
        ];
  return {
    area: 'callLogs',
    title: 'Call logs',
    summary: 'Intercom has no call records to import into.',
    count: calls,
    entries:
      calls > 0
        ? [
            {
              name: `${calls.toLocaleString('en-US')} call log(s)`,
              sourceId: null,
              inSmarterTrack: [
                'Phone calls logged by agents: caller, number, subject, notes, start and end time, department.',
              ],
              inIntercom,
            },
          ]
        : [],
  };
}

/** The community: one entry for all its rows; nothing in Intercom takes it. */
export function communitySection(rows: number): RebuildSection {
  return {
    area: 'community',
    title: 'Community (threads and posts)',
    summary: 'Not migrated: Intercom has no community forum and no API to import one.',
    count: rows,
    entries:
      rows > 0
        ? [
            {
              name: `${rows.toLocaleString('en-US')} community row(s)`,
              sourceId: null,
              inSmarterTrack: ['Public community threads, posts and votes.'],
              inIntercom: [
                'Export the community from SmarterTrack and archive it, or move the useful answers into Help Center articles (Knowledge → Help Center → New article).',
                'Point the old community URL to the Help Center.',
              ],
            },
          ]
        : [],
  };
}
