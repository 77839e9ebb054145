import http from 'node:http';
import https from 'node:https';

import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';

import { messageOf } from '../../model/error-message';
import { buildRequest, child, flat, parseResponse, type SoapValue, text, type XmlNode } from './envelope';
import { SoapAuthError, SoapOperationError, SoapTransportError, SoapWriteRefusedError } from './errors';
import { isReadOnlyOperation, SERVICE_ROOTS, type ServiceName, soapAction } from './services';

export interface SoapClientOptions {
  /** Site root, e.g. https://support.example.com (no /Services2). */
  baseUrl: string;
  user: string;
  password: string;
  /** Skip probing and use this root ('Services2' or 'Services'). */
  servicesRoot?: string;
  timeoutMs?: number;
  /** Attempts for a read that failed on the network or with 502/503/504. */
  attempts?: number;
}

const Envelope = z.object({
  Message: z.string().optional(),
  Result: z.string().optional(),
  ResultCode: z.string().optional(),
});

/** SOAP 1.1 over axios; every call is a read, checked before it is sent. */
export class SoapClient {
  readonly baseUrl: string;
  readonly user: string;
  private readonly password: string;
  private readonly http: AxiosInstance;
  private root: string | null;
  private readonly attempts: number;
  /** Operations called, in order (service.operation), for figures and the read-only test. */
  readonly calls = new Map<string, number>();

  constructor(options: SoapClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.user = options.user;
    this.password = options.password;
    this.root = options.servicesRoot ?? null;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.http = axios.create({
      timeout: options.timeoutMs ?? 120_000,
      // Answers can be large (no paging): no size cap on bodies, as the vendor's own proxy configures.
      maxContentLength: Infinity,
      maxBodyLength: Infinity,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
    });
  }

  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };

  /** Closes the kept-alive connections. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  get servicesRoot(): string | null {
    return this.root;
  }

  /** The services root in use: /Services2 if it answers, else the legacy /Services. */
  async resolveRoot(): Promise<string> {
    if (this.root) return this.root;
    const tried: string[] = [];
    for (const root of SERVICE_ROOTS) {
      const url = `${this.baseUrl}/${root}/svcTickets.asmx?WSDL`;
      tried.push(url);
      try {
        const res = await this.http.get<string>(url);
        if (res.status === 200 && typeof res.data === 'string' && /definitions/.test(res.data)) {
          this.root = root;
          return root;
        }
      } catch {
        // try the next root
      }
    }
    throw new SoapTransportError(`no SmarterTrack Web Services found at ${this.baseUrl}: tried ${tried.join(' and ')}`);
  }

  /** Calls a read-only operation and returns its <{op}Result> element, after the in-band Result check. */
  async call(
    service: ServiceName,
    operation: string,
    params: [string, SoapValue][] = [],
    check: 'result' | 'none' = 'result',
  ): Promise<XmlNode> {
    if (!isReadOnlyOperation(operation)) {
      throw new SoapWriteRefusedError(
        `${service}.${operation} is not a read-only operation; the source is only ever read`,
      );
    }
    const root = await this.resolveRoot();
    const url = `${this.baseUrl}/${root}/${service}.asmx`;
    const body = buildRequest({ service, operation, user: this.user, password: this.password, params });
    const key = `${service}.${operation}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);

    let lastError: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      let status: number;
      let data: string;
      try {
        const res = await this.http.post<string>(url, body, {
          headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${soapAction(service, operation)}"` },
        });
        status = res.status;
        data = typeof res.data === 'string' ? res.data : String(res.data);
      } catch (error) {
        lastError = error;
        continue;
      }
      if ([502, 503, 504].includes(status)) {
        lastError = new SoapTransportError(`${key}: HTTP ${status} from ${url}`);
        continue;
      }
      let parsed;
      try {
        parsed = parseResponse(data, operation);
      } catch (error) {
        throw new SoapTransportError(
          `${key} as user "${this.user}": HTTP ${status} from ${url}, not a SOAP answer (${messageOf(error)})`,
        );
      }
      if (parsed.kind === 'fault') {
        throw new SoapTransportError(
          `${key} as user "${this.user}": SOAP fault ${parsed.code}: ${this.redact(parsed.message)}`,
        );
      }
      if (check === 'result') this.checkResult(service, operation, parsed.result);
      return parsed.result;
    }
    throw new SoapTransportError(
      `${key} as user "${this.user}" failed after ${this.attempts} attempt(s): ${this.redact(lastError === undefined ? 'unknown error' : messageOf(lastError))}`,
    );
  }

  private checkResult(service: ServiceName, operation: string, result: XmlNode): void {
    const env = Envelope.parse(flat(result));
    if (env.Result === undefined || env.Result.trim().toLowerCase() === 'true') return;
    const message = this.redact(env.Message ?? text(child(result, 'Message')) ?? '');
    const code = env.ResultCode !== undefined && /^-?\d+$/.test(env.ResultCode.trim()) ? Number(env.ResultCode) : null;
    if (
      operation === 'ValidateAgent' ||
      /(password|credential|authenticat|login|log in|not authorized|unauthori[sz]ed)/i.test(message)
    ) {
      throw new SoapAuthError(`${service}.${operation}`, this.user, message);
    }
    throw new SoapOperationError(service, operation, this.user, code, message);
  }

  /** A service may echo what it was sent; the password never leaves this class. */
  redact(message: string): string {
    return this.password ? message.split(this.password).join('***') : message;
  }

  /** An authenticated GET of a site-relative URL as a stream (attachments). */
  async getStream(url: string, headers: Record<string, string>) {
    return this.http.get<NodeJS.ReadableStream>(url, {
      responseType: 'stream',
      headers,
      maxRedirects: 0,
      transformResponse: undefined,
    });
  }

  /** A form POST to the site (the web login for attachment downloads). */
  async postForm(url: string, form: Record<string, string>) {
    return this.http.post<string>(url, new URLSearchParams(form).toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      maxRedirects: 0,
    });
  }

  get credentials(): { user: string; password: string } {
    return { user: this.user, password: this.password };
  }
}
