import { ApiError } from '../http/errors';
import type { Router } from '../http/router';
import type { Store } from '../state/store';
import type { Admin, Team } from '../state/types';

const AVATAR = 'https://static.intercomassets.com/assets/default-avatars/admins/128.png';

function renderAdmin(a: Admin): Record<string, unknown> {
  return {
    type: 'admin',
    id: a.id,
    name: a.name,
    email: a.email,
    job_title: a.job_title,
    away_mode_enabled: a.away_mode_enabled,
    away_mode_reassign: false,
    away_status_reason_id: null,
    has_inbox_seat: a.has_inbox_seat,
    team_ids: a.team_ids,
    avatar: AVATAR,
    team_priority_level: {},
    role: null,
  };
}

function renderTeam(t: Team): Record<string, unknown> {
  return {
    type: 'team',
    id: t.id,
    name: t.name,
    admin_ids: t.admin_ids,
    admin_priority_level: {},
    assignment_limit: null,
    distribution_method: 'round_robin',
  };
}

/** Admins, teams and the workspace come from the seed: the API can read them, never create them. */
export function registerAdmins(router: Router<Store>): void {
  router.add('GET', '/me', ({ store }) => {
    const admin = store.state.admins[0];
    const w = store.state.workspace;
    return {
      body: {
        type: 'admin',
        id: admin?.id ?? '0',
        email: admin?.email ?? null,
        name: admin?.name ?? null,
        email_verified: true,
        app: {
          type: 'app',
          id_code: w.id_code,
          name: w.name,
          created_at: w.created_at,
          secure: false,
          identity_verification: false,
          timezone: w.timezone,
          region: w.region,
        },
        avatar: { type: 'avatar', image_url: AVATAR },
        has_inbox_seat: admin?.has_inbox_seat ?? true,
      },
    };
  });
  router.add('GET', '/admins', ({ store }) => ({
    body: { type: 'admin.list', admins: store.state.admins.map(renderAdmin) },
  }));
  router.add('GET', '/admins/:id', ({ params, store }) => {
    const admin = store.state.admins.find((a) => a.id === params.id);
    if (!admin) throw new ApiError(404, 'admin_not_found', 'Admin not found');
    return { body: renderAdmin(admin) };
  });
  router.add('GET', '/teams', ({ store }) => ({
    body: { type: 'team.list', teams: store.state.teams.map(renderTeam) },
  }));
  router.add('GET', '/teams/:id', ({ params, store }) => {
    const team = store.state.teams.find((t) => t.id === params.id);
    if (!team) throw new ApiError(404, 'team_not_found', 'Team not found');
    return { body: renderTeam(team) };
  });
}
