import { readFileSync } from 'node:fs';

import { z } from 'zod';

import { dict } from './dict';
import { defaultTicketStates } from './ticket-states';
import { adminSchema, helpCenterSchema, type SandboxState, segmentSchema, teamSchema, workspaceSchema } from './types';

/**
 * What Intercom does not let the API create (workspace, admins, teams, help centers, custom object
 * types) comes from a seed: the built-in one below, or a JSON file with the same shape.
 */
const seedSchema = z.object({
  workspace: workspaceSchema.partial().default({}),
  admins: z.array(adminSchema).optional(),
  teams: z.array(teamSchema).optional(),
  helpCenters: z.array(helpCenterSchema).optional(),
  customObjectTypes: z.array(z.string()).optional(),
  segments: z.array(segmentSchema).optional(),
  planRestricted: z.boolean().optional(),
});
export type Seed = z.infer<typeof seedSchema>;

const SEED_TIME = 1_700_000_000;

export const DEFAULT_SEED: Seed = {
  workspace: { id_code: 'sandbox0', name: 'Sandbox', region: 'US', timezone: 'UTC', created_at: SEED_TIME },
  admins: [
    {
      id: '991267001',
      name: 'Ada Admin',
      email: 'ada@sandbox.example',
      job_title: 'Support lead',
      team_ids: [5001, 5002],
      has_inbox_seat: true,
      away_mode_enabled: false,
    },
    {
      id: '991267002',
      name: 'Ben Agent',
      email: 'ben@sandbox.example',
      job_title: 'Agent',
      team_ids: [5001],
      has_inbox_seat: true,
      away_mode_enabled: false,
    },
    {
      id: '991267003',
      name: 'Cleo Agent',
      email: 'cleo@sandbox.example',
      job_title: 'Agent',
      team_ids: [5002],
      has_inbox_seat: true,
      away_mode_enabled: false,
    },
    {
      id: '991267004',
      name: 'Dev Billing',
      email: 'dev@sandbox.example',
      job_title: 'Billing',
      team_ids: [5003],
      has_inbox_seat: true,
      away_mode_enabled: false,
    },
    {
      id: '991267005',
      name: 'Eve Manager',
      email: 'eve@sandbox.example',
      job_title: 'Manager',
      team_ids: [],
      has_inbox_seat: false,
      away_mode_enabled: false,
    },
  ],
  teams: [
    { id: '5001', name: 'Support', admin_ids: [991267001, 991267002] },
    { id: '5002', name: 'Technical', admin_ids: [991267001, 991267003] },
    { id: '5003', name: 'Billing', admin_ids: [991267004] },
  ],
  helpCenters: [
    {
      id: '101',
      identifier: 'sandbox',
      display_name: 'Sandbox Help Center',
      website_turned_on: false,
      default: true,
      created_at: SEED_TIME,
    },
  ],
  customObjectTypes: ['Call'],
  segments: [],
};

export function readSeedFile(file: string): Seed {
  return seedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * A fresh state from a seed; fields a seed file omits fall back to the built-in seed. A copy: the
 * state is mutated in place (segments are added), and a reset or another sandbox in the same process
 * must start from the seed as written.
 */
export function stateFromSeed(seed: Seed): SandboxState {
  const base = DEFAULT_SEED;
  // The seeded parts are cloned; the keyed records start as fresh Dicts (structuredClone would give them a prototype).
  const seeded = structuredClone({
    workspace: { ...(base.workspace as SandboxState['workspace']), ...seed.workspace },
    admins: seed.admins ?? base.admins ?? [],
    teams: seed.teams ?? base.teams ?? [],
    helpCenters: seed.helpCenters ?? base.helpCenters ?? [],
    customObjectTypes: seed.customObjectTypes ?? base.customObjectTypes ?? [],
    segments: seed.segments ?? [],
    planRestricted: seed.planRestricted ?? false,
  });
  return {
    ...seeded,
    contacts: dict(),
    companies: dict(),
    tags: dict(),
    dataAttributes: dict(),
    conversationAttributes: dict(),
    conversations: dict(),
    ticketTypes: dict(),
    ticketStates: defaultTicketStates(),
    tickets: dict(),
    collections: dict(),
    articles: dict(),
    customObjects: dict(),
    counters: dict(),
  };
}
