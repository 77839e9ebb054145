import { DeletedObject } from '../schemas/common';
import type { Company, CreateOrUpdateCompanyRequest } from '../schemas/companies';
import {
  Company as CompanySchema,
  CompanyLookup,
  CreateOrUpdateCompanyRequest as CreateOrUpdateCompanyRequestSchema,
} from '../schemas/companies';
import { Endpoints, orUndefined, seg, validated } from './shared';

export class CompaniesApi extends Endpoints {
  /**
   * Upsert keyed on your company_id: replaying it updates the same company, so a lost response is
   * simply retried (idempotent by nature).
   */
  async createOrUpdate(body: CreateOrUpdateCompanyRequest): Promise<Company> {
    const label = `company_id=${body.company_id}`;
    const data = validated(
      CreateOrUpdateCompanyRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path: '/companies', label }),
    );
    return this.transport.request({
      method: 'POST',
      path: '/companies',
      body: data,
      label,
      response: CompanySchema,
      replay: { idempotent: 'POST /companies upserts on company_id' },
    });
  }

  /** By Intercom id. */
  async get(id: string): Promise<Company> {
    return this.transport.request({ method: 'GET', path: `/companies/${seg(id)}`, response: CompanySchema });
  }

  /** By your company_id; undefined when there is none. */
  async findByCompanyId(companyId: string): Promise<Company | undefined> {
    const found = await orUndefined(
      this.transport.request({
        method: 'GET',
        path: '/companies',
        query: { company_id: companyId },
        label: `company_id=${companyId}`,
        response: CompanyLookup,
      }),
    );
    if (found === undefined) return undefined;
    if ('data' in found && Array.isArray(found.data)) return found.data.find((c) => c.company_id === companyId);
    return found as Company;
  }

  /**
   * Archives the company and detaches its contacts, asynchronously (Intercom does not really delete
   * companies).
   */
  async delete(id: string): Promise<{ id: string; deleted: boolean }> {
    return this.transport.request({ method: 'DELETE', path: `/companies/${seg(id)}`, response: DeletedObject });
  }
}
