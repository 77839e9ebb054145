import type { Admin, Me, Team } from '../schemas/admins';
import { Admin as AdminSchema, AdminList, Me as MeSchema, Team as TeamSchema, TeamList } from '../schemas/admins';
import { Endpoints, seg } from './shared';

/** Admins and teams are read-only through the API: source agents are mapped onto them. */
export class AdminsApi extends Endpoints {
  /** `lane`: ask with that token (1-based) only, to check each of several tokens. */
  async me(lane?: number): Promise<Me> {
    return this.transport.request({
      method: 'GET',
      path: '/me',
      response: MeSchema,
      ...(lane !== undefined ? { lane } : {}),
    });
  }

  async list(): Promise<Admin[]> {
    return (await this.transport.request({ method: 'GET', path: '/admins', response: AdminList })).admins;
  }

  async get(adminId: string): Promise<Admin> {
    return this.transport.request({ method: 'GET', path: `/admins/${seg(adminId)}`, response: AdminSchema });
  }

  async listTeams(): Promise<Team[]> {
    return (await this.transport.request({ method: 'GET', path: '/teams', response: TeamList })).teams;
  }

  async getTeam(teamId: string): Promise<Team> {
    return this.transport.request({ method: 'GET', path: `/teams/${seg(teamId)}`, response: TeamSchema });
  }
}
