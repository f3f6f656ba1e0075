import { HypervisorError, HypervisorErrorCode } from '@wholesail/domain';
import { Agent, fetch } from 'undici';
import { parseXml, type XmlElement } from '../xml/xml';
import { faultName, vimError } from './vim-faults';
import { envelope, field, fields, moRef, readMoRef, struct, type Fragment, type MoRef } from './vim-xml';

export interface VimClientOptions {
  /** The SDK endpoint, e.g. https://vcenter.example.com/sdk. */
  sdkUrl: string;
  username: string;
  password: string;
  /** Accept any TLS certificate (vcsim's self-signed one). Prefer `ca`. */
  insecure?: boolean;
  /** PEM certificate(s) to trust for this endpoint in addition to the system's. */
  ca?: string;
  /** Per HTTP call; default 60 s. */
  requestTimeoutMs?: number;
  /** How long a task may run before waitForTask gives up (HYPERVISOR_TIMEOUT); default 10 minutes. */
  taskTimeoutMs?: number;
}

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  searchIndex: MoRef;
  sessionManager: MoRef;
  fullName: string;
  apiVersion: string;
}

/** One object's properties as RetrievePropertiesEx returns them: the `val` element per property path. */
export interface ObjectContent {
  obj: MoRef;
  props: Map<string, XmlElement>;
}

const SERVICE_INSTANCE: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };
const SESSION_COOKIE = 'vmware_soap_session';

/**
 * A small typed client of the vSphere Web Services API (SOAP, vim25) over HTTPS: the calls the
 * driver uses and nothing more. Holds one session (the `vmware_soap_session` cookie), logs in
 * again once when the session has expired, maps SOAP faults and transport failures to
 * HypervisorErrors, and polls tasks to completion with backoff.
 */
export class VimClient {
  private readonly dispatcher: Agent;
  private cookie?: string;
  private content?: ServiceContent;
  private loggingIn?: Promise<void>;

  constructor(private readonly options: VimClientOptions) {
    this.dispatcher = new Agent({
      connect: { rejectUnauthorized: !options.insecure, ...(options.ca ? { ca: options.ca } : {}) },
      keepAliveTimeout: 10_000,
    });
  }

  get serviceContent(): ServiceContent {
    if (!this.content) throw new Error('VimClient: call login() first');
    return this.content;
  }

  /** RetrieveServiceContent, then Login. Safe to call concurrently: callers share one login. */
  login(): Promise<void> {
    return (this.loggingIn ??= this.doLogin().finally(() => (this.loggingIn = undefined)));
  }

  private async doLogin(): Promise<void> {
    this.cookie = undefined;
    const returnval = await this.post('RetrieveServiceContent', SERVICE_INSTANCE, [], false);
    const ref = (name: string): MoRef => {
      const value = readMoRef(returnval?.child(name));
      if (!value) throw new HypervisorError(HypervisorErrorCode.Fault, `vSphere: the service content has no ${name}`);
      return value;
    };
    this.content = {
      rootFolder: ref('rootFolder'),
      propertyCollector: ref('propertyCollector'),
      viewManager: ref('viewManager'),
      searchIndex: ref('searchIndex'),
      sessionManager: ref('sessionManager'),
      fullName: returnval?.textAt('about', 'fullName') ?? 'vSphere',
      apiVersion: returnval?.textAt('about', 'apiVersion') ?? '',
    };
    await this.post('Login', this.content.sessionManager, [field('userName', this.options.username), field('password', this.options.password)], false);
    if (!this.cookie) throw new HypervisorError(HypervisorErrorCode.Fault, 'vSphere: Login returned no session cookie');
  }

  async logout(): Promise<void> {
    if (!this.cookie || !this.content) return;
    try {
      await this.post('Logout', this.content.sessionManager, [], false);
    } catch {
      // A session that is already gone needs no logout.
    } finally {
      this.cookie = undefined;
    }
  }

  async close(): Promise<void> {
    await this.logout();
    await this.dispatcher.close();
  }

  /**
   * Calls a method on a managed object and returns the response's `returnval` (undefined for void
   * methods). Logs in first when needed, and once more if the session has expired meanwhile.
   */
  async invoke(method: string, self: MoRef, params: Fragment[] = []): Promise<XmlElement | undefined> {
    if (!this.cookie) await this.login();
    try {
      return await this.post(method, self, params, true);
    } catch (error) {
      if (!(error instanceof HypervisorError) || error.fault !== 'NotAuthenticated') throw error;
      await this.login();
      return this.post(method, self, params, true);
    }
  }

  private async post(method: string, self: MoRef, params: Fragment[], authenticated: boolean): Promise<XmlElement | undefined> {
    const body = envelope(`<${method} xmlns="urn:vim25">${moRef('_this', self)}${params.join('')}</${method}>`);
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: this.content?.apiVersion ? `urn:vim25/${this.content.apiVersion}` : 'urn:vim25',
    };
    if (authenticated && this.cookie) headers.cookie = `${SESSION_COOKIE}=${this.cookie}`;
    let text: string;
    let status: number;
    try {
      const response = await fetch(this.options.sdkUrl, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000),
      });
      status = response.status;
      const cookie = /vmware_soap_session="?([^";]+)"?/.exec(response.headers.get('set-cookie') ?? '');
      if (cookie) this.cookie = cookie[1];
      text = await response.text();
    } catch (error) {
      throw transportError(error, this.options.sdkUrl, method);
    }
    const fault = /<(?:\w+:)?Fault[\s>]/.test(text) ? parseFault(text) : undefined;
    if (fault) throw vimError(fault.name, fault.message, `vSphere ${method}`);
    if (status !== 200) {
      const code = status === 503 || status === 502 || status === 504 ? HypervisorErrorCode.Unreachable : HypervisorErrorCode.Fault;
      throw new HypervisorError(code, `vSphere ${method}: HTTP ${status} from ${this.options.sdkUrl}`);
    }
    let document: XmlElement;
    try {
      document = parseXml(text);
    } catch (error) {
      throw new HypervisorError(HypervisorErrorCode.Fault, `vSphere ${method}: unreadable response (${(error as Error).message})`);
    }
    const response = document.child('Body')?.child(`${method}Response`);
    if (!response) throw new HypervisorError(HypervisorErrorCode.Fault, `vSphere ${method}: the response has no ${method}Response`);
    return response.child('returnval');
  }

  // --- PropertyCollector ------------------------------------------------------------------------

  /** Properties of the given objects (all of one type). Objects that no longer exist are left out. */
  async retrieve(objects: MoRef[], type: string, paths: string[]): Promise<ObjectContent[]> {
    if (objects.length === 0) return [];
    const spec = struct('specSet', [
      struct('propSet', [field('type', type), fields('pathSet', paths)]),
      ...objects.map((obj) => struct('objectSet', [moRef('obj', obj), field('skip', false)])),
    ]);
    return this.retrieveAll(spec);
  }

  async retrieveOne(obj: MoRef, paths: string[]): Promise<ObjectContent | undefined> {
    return (await this.retrieve([obj], obj.type, paths))[0];
  }

  /** Properties of every object of `type` below `container` (recursively), through a ContainerView. */
  async retrieveContained(container: MoRef, type: string, paths: string[]): Promise<ObjectContent[]> {
    if (!this.cookie) await this.login();
    const view = readMoRef(
      await this.invoke('CreateContainerView', this.serviceContent.viewManager, [moRef('container', container), field('type', type), field('recursive', true)]),
    );
    if (!view) throw new HypervisorError(HypervisorErrorCode.Fault, 'vSphere CreateContainerView returned no view');
    try {
      const spec = struct('specSet', [
        struct('propSet', [field('type', type), fields('pathSet', paths)]),
        struct('objectSet', [
          moRef('obj', view),
          field('skip', true),
          struct('selectSet', [field('name', 'view'), field('type', 'ContainerView'), field('path', 'view'), field('skip', false)], 'TraversalSpec'),
        ]),
      ]);
      return await this.retrieveAll(spec);
    } finally {
      await this.invoke('DestroyView', view).catch(() => undefined);
    }
  }

  private async retrieveAll(spec: Fragment): Promise<ObjectContent[]> {
    if (!this.cookie) await this.login();
    const collector = this.serviceContent.propertyCollector;
    const results: ObjectContent[] = [];
    let page: XmlElement | undefined;
    try {
      page = await this.invoke('RetrievePropertiesEx', collector, [spec, struct('options', [])]);
    } catch (error) {
      // A vanished object makes the whole call fail; for lookups that is "not there".
      if (error instanceof HypervisorError && error.fault === 'ManagedObjectNotFound') return [];
      throw error;
    }
    for (;;) {
      if (!page) return results;
      for (const object of page.all('objects')) {
        const obj = readMoRef(object.child('obj'));
        if (!obj) continue;
        const props = new Map<string, XmlElement>();
        for (const prop of object.all('propSet')) {
          const name = prop.textAt('name');
          const val = prop.child('val');
          if (name && val) props.set(name, val);
        }
        results.push({ obj, props });
      }
      const token = page.textAt('token');
      if (!token) return results;
      page = await this.invoke('ContinueRetrievePropertiesEx', collector, [field('token', token)]);
    }
  }

  // --- Tasks ------------------------------------------------------------------------------------

  /**
   * Polls a task until it succeeds (returns its `info.result`, e.g. the new VM's reference) or
   * fails (throws its fault as a HypervisorError), backing off from 50 ms to 1 s between polls.
   */
  async waitForTask(task: MoRef, context: string): Promise<XmlElement | undefined> {
    const deadline = Date.now() + (this.options.taskTimeoutMs ?? 600_000);
    let delay = 50;
    for (;;) {
      const info = (await this.retrieveOne(task, ['info']))?.props.get('info');
      if (!info) throw new HypervisorError(HypervisorErrorCode.NotFound, `${context}: task ${task.value} vanished`);
      const state = info.textAt('state');
      if (state === 'success') return info.child('result');
      if (state === 'error') {
        const error = info.child('error');
        const fault = error?.child('fault');
        throw vimError(faultName(fault), error?.textAt('localizedMessage') ?? fault?.textAt('faultMessage', 'message') ?? '', context);
      }
      if (Date.now() > deadline) throw new HypervisorError(HypervisorErrorCode.Timeout, `${context}: task ${task.value} still ${state} after the deadline`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(1_000, Math.round(delay * 1.5));
    }
  }

  /** Starts a *_Task method and waits for it. */
  async runTask(method: string, self: MoRef, params: Fragment[], context: string): Promise<XmlElement | undefined> {
    const task = readMoRef(await this.invoke(method, self, params));
    if (!task) throw new HypervisorError(HypervisorErrorCode.Fault, `${context}: ${method} returned no task`);
    return this.waitForTask(task, context);
  }

  /** SearchIndex.FindByInventoryPath: "DC0/vm/web-1"; undefined when nothing is there. */
  async findByInventoryPath(path: string): Promise<MoRef | undefined> {
    if (!this.cookie) await this.login();
    return readMoRef(await this.invoke('FindByInventoryPath', this.serviceContent.searchIndex, [field('inventoryPath', path)]));
  }
}

function parseFault(text: string): { name: string; message: string } | undefined {
  try {
    const fault = parseXml(text).child('Body')?.child('Fault');
    if (!fault) return undefined;
    const detail = fault.child('detail')?.elements()[0];
    return { name: faultName(detail), message: fault.textAt('faultstring') ?? '' };
  } catch {
    return undefined;
  }
}

/** fetch failures: refused or reset connections, DNS, TLS, timeouts. */
function transportError(error: unknown, url: string, method: string): HypervisorError {
  const err = error as Error & { cause?: Error & { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new HypervisorError(HypervisorErrorCode.Timeout, `vSphere ${method}: no answer from ${url} in time`);
  }
  const cause = err?.cause;
  const reason = cause ? `${cause.code ? `${cause.code}: ` : ''}${cause.message}` : (err?.message ?? String(error));
  // An untrusted certificate will not fix itself: not worth retrying, and the remedy is ours.
  if (/certificate|self[- ]signed|CERT_|TLS|SSL/i.test(reason)) {
    return new HypervisorError(
      HypervisorErrorCode.Fault,
      `vSphere ${method}: ${url} presented a certificate we do not trust (${reason}); give the host its CA certificate or mark it insecure`,
      cause?.code,
    );
  }
  return new HypervisorError(HypervisorErrorCode.Unreachable, `vSphere ${method}: cannot reach ${url} (${reason})`, cause?.code);
}
