import type { Organization, OrganizationMembership } from '../model/source';

type MatchKind = OrganizationMembership['matchedBy'][number];

export interface MemberCandidate {
  readonly id: number;
  readonly email: string | null;
  readonly phone: string | null;
}

/**
 * SmarterTrack organizations have no member list: membership follows filters (email address, email
 * domain, user, phone number). This evaluates them against one user at a time, so users can be
 * streamed; only the filters (one small set per organization) stay in memory.
 * Rules: email exact, case-insensitive; domain = the part after the last @ of the user's email;
 * user = the filter's UserID (or a numeric FilterValue); phone = same digits, only when the user
 * has a phone at all.
 */
export class MembershipMatcher {
  private readonly byEmail = new Map<string, number[]>();
  private readonly byDomain = new Map<string, number[]>();
  private readonly byUser = new Map<number, number[]>();
  private readonly byPhone = new Map<string, number[]>();

  constructor(organizations: Iterable<Pick<Organization, 'id' | 'filters'>>) {
    for (const org of organizations) {
      for (const filter of org.filters) {
        const value = (filter.value ?? '').trim();
        switch (filter.kind) {
          case 'email':
            if (value) push(this.byEmail, value.toLowerCase(), org.id);
            break;
          case 'domain': {
            const domain = value.replace(/^.*@/, '').replace(/^\.+/, '').toLowerCase();
            if (domain) push(this.byDomain, domain, org.id);
            break;
          }
          case 'user': {
            const id = filter.userId ?? (/^\d+$/.test(value) ? Number(value) : null);
            if (id !== null) push(this.byUser, id, org.id);
            break;
          }
          case 'phone': {
            const digits = phoneDigits(value);
            if (digits) push(this.byPhone, digits, org.id);
            break;
          }
          default:
            break;
        }
      }
    }
  }

  get isEmpty(): boolean {
    return this.byEmail.size + this.byDomain.size + this.byUser.size + this.byPhone.size === 0;
  }

  match(user: MemberCandidate): OrganizationMembership[] {
    const found = new Map<number, Set<MatchKind>>();
    const add = (orgIds: number[] | undefined, kind: MatchKind) => {
      for (const orgId of orgIds ?? []) {
        const kinds = found.get(orgId) ?? new Set<MatchKind>();
        kinds.add(kind);
        found.set(orgId, kinds);
      }
    };
    const email = (user.email ?? '').trim().toLowerCase();
    if (email) {
      add(this.byEmail.get(email), 'email');
      const at = email.lastIndexOf('@');
      if (at >= 0) add(this.byDomain.get(email.slice(at + 1)), 'domain');
    }
    add(this.byUser.get(user.id), 'user');
    const phone = phoneDigits(user.phone ?? '');
    if (phone) add(this.byPhone.get(phone), 'phone');
    return [...found.entries()]
      .sort(([a], [b]) => a - b)
      .map(([organizationId, kinds]) => ({ organizationId, userId: user.id, matchedBy: [...kinds].sort() }));
  }
}

function push<K>(map: Map<K, number[]>, key: K, orgId: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [orgId]);
  else if (!list.includes(orgId)) list.push(orgId);
}

function phoneDigits(value: string): string {
  return value.replace(/\D/g, '');
}
