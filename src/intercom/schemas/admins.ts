import { z } from 'zod';

import { Id } from './common';

export const Admin = z.looseObject({
  type: z.string(),
  id: Id,
  name: z.string().nullish(),
  email: z.string().nullish(),
  job_title: z.string().nullish(),
  away_mode_enabled: z.boolean().nullish(),
  has_inbox_seat: z.boolean().nullish(),
  team_ids: z.array(Id).nullish(),
});
export type Admin = z.infer<typeof Admin>;

export const Me = Admin.extend({
  email_verified: z.boolean().nullish(),
  app: z
    .looseObject({
      type: z.string().nullish(),
      id_code: z.string(),
      name: z.string().nullish(),
      region: z.string().nullish(),
      timezone: z.string().nullish(),
    })
    .nullish(),
});
export type Me = z.infer<typeof Me>;

export const AdminList = z.looseObject({ type: z.string().nullish(), admins: z.array(Admin) });

export const Team = z.looseObject({
  type: z.string(),
  id: Id,
  name: z.string(),
  admin_ids: z.array(Id).nullish(),
});
export type Team = z.infer<typeof Team>;

export const TeamList = z.looseObject({ type: z.string().nullish(), teams: z.array(Team) });
