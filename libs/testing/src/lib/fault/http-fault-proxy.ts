import {
  Agent,
  createServer,
  IncomingMessage,
  request as httpRequest,
  ServerResponse,
} from 'node:http';
import { boundPort, closeServer, listen } from '../support/net';
import { FaultRule, HttpFaultProxy, RequestRecord } from './fault.types';

// Per-request view of the rule, taken when the request arrives.
interface Applied {
  limit?: number;
  mode?: 'reset' | 'stall';
  bytesPerSecond?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function checkRule(rule: FaultRule): void {
  for (const key of ['resetAfterBytes', 'stallAfterBytes', 'delayMs', 'bytesPerSecond'] as const) {
    const v = rule[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0))
      throw new Error(`${key} must be a non-negative integer`);
  }
  if (rule.resetAfterBytes !== undefined && rule.stallAfterBytes !== undefined) {
    throw new Error('a rule cannot both reset and stall');
  }
  const fail = rule.failStatus;
  if (fail && (fail.status < 100 || fail.status > 599 || fail.times < 0))
    throw new Error('failStatus needs a status 100-599 and times >= 0');
}

class HttpProxyCore {
  rule: FaultRule | undefined;
  failuresLeft = 0;
  records: RequestRecord[] = [];
  readonly stalled = new Set<ServerResponse>();
  readonly agent = new Agent({ keepAlive: true });

  constructor(private readonly target: URL) {}

  setRule(rule: FaultRule | undefined): void {
    if (rule) checkRule(rule);
    this.rule = rule;
    this.failuresLeft = rule?.failStatus?.times ?? 0;
  }

  releaseStalled(): void {
    for (const res of this.stalled) res.socket?.destroy();
    this.stalled.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.split('?')[0] ?? url,
      url,
      headers: { ...req.headers },
      status: 0,
      bytesSent: 0,
      faulted: false,
    };
    this.records.push(record);
    const rule = this.rule;
    if (!rule || (rule.pathPattern && !rule.pathPattern.test(url)))
      return this.forward(req, res, record, {});
    const fail = rule.failStatus;
    if (fail && this.failuresLeft > 0) {
      this.failuresLeft--;
      return answerFailure(req, res, record, fail);
    }
    if (rule.delayMs) await sleep(rule.delayMs);
    const pace = rule.bytesPerSecond ? { bytesPerSecond: rule.bytesPerSecond } : {};
    if (rule.resetAfterBytes !== undefined)
      return this.forward(req, res, record, {
        limit: rule.resetAfterBytes,
        mode: 'reset',
        ...pace,
      });
    if (rule.stallAfterBytes !== undefined)
      return this.forward(req, res, record, {
        limit: rule.stallAfterBytes,
        mode: 'stall',
        ...pace,
      });
    return this.forward(req, res, record, pace);
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    record: RequestRecord,
    applied: Applied,
  ): void {
    const upstream = httpRequest({
      host: this.target.hostname,
      port: this.target.port,
      method: req.method,
      path: req.url,
      // Host and every other header pass unchanged, so Location URLs the target builds still point here.
      headers: req.headers,
      agent: this.agent,
    });
    upstream.on('response', (ures) => this.relay(ures, res, record, applied));
    upstream.on('error', () => {
      // Once a fault was injected the upstream side is torn down on purpose.
      if (record.faulted) return;
      if (!res.headersSent) {
        record.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' }).end('fault proxy: target unreachable');
      } else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  private relay(
    ures: IncomingMessage,
    res: ServerResponse,
    record: RequestRecord,
    applied: Applied,
  ): void {
    record.status = ures.statusCode ?? 502;
    res.writeHead(record.status, ures.statusMessage, ures.rawHeaders);
    if (applied.limit === 0) return this.inject(ures, res, record, applied, Buffer.alloc(0));
    ures.on('data', (chunk: Buffer) => {
      const room = applied.limit === undefined ? Infinity : applied.limit - record.bytesSent;
      if (chunk.length >= room)
        return this.inject(ures, res, record, applied, chunk.subarray(0, room));
      record.bytesSent += chunk.length;
      const drained = res.write(chunk);
      // Throttled: hold the next chunk back for as long as this one may take at the allowed rate.
      const hold = applied.bytesPerSecond ? (chunk.length * 1000) / applied.bytesPerSecond : 0;
      if (drained && hold === 0) return;
      ures.pause();
      const resume = () => void setTimeout(() => ures.resume(), hold);
      if (drained) resume();
      else res.once('drain', resume);
    });
    ures.on('end', () => res.end());
    ures.on('error', () => res.destroy());
  }

  // Sends the last allowed bytes, then stalls or cuts the connection. The cut is a FIN after the
  // flushed bytes (not an RST, which may discard data the client has not read yet), so the client
  // gets exactly the allowed bytes and then a premature end of the body.
  private inject(
    ures: IncomingMessage,
    res: ServerResponse,
    record: RequestRecord,
    applied: Applied,
    last: Buffer,
  ): void {
    record.faulted = true;
    record.bytesSent += last.length;
    ures.removeAllListeners('data');
    ures.destroy();
    if (applied.mode === 'stall') {
      this.stalled.add(res);
      res.once('close', () => this.stalled.delete(res));
      if (last.length > 0) res.write(last);
      else res.flushHeaders();
      return;
    }
    if (last.length > 0) res.write(last);
    else res.flushHeaders();
    res.socket?.end();
  }
}

function answerFailure(
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  fail: NonNullable<FaultRule['failStatus']>,
): void {
  record.status = fail.status;
  record.faulted = true;
  req.resume();
  const body =
    fail.body ??
    JSON.stringify({
      errors: [
        { code: 'FAULT_INJECTED', message: `fault proxy answered ${fail.status}`, detail: null },
      ],
    });
  res.writeHead(fail.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...fail.headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * startHttpFaultProxy starts an HTTP reverse proxy on 127.0.0.1:0 in front of `targetUrl`. It streams
 * both ways without buffering, records every request, and applies the current {@link FaultRule}.
 */
export async function startHttpFaultProxy(targetUrl: string): Promise<HttpFaultProxy> {
  const target = new URL(targetUrl);
  if (target.protocol !== 'http:')
    throw new Error(`fault proxy targets plain http only, got ${target.protocol}`);
  const core = new HttpProxyCore(target);
  const server = createServer((req, res) => void core.handle(req, res));
  await listen(server);
  server.unref();
  const host = `127.0.0.1:${boundPort(server)}`;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}`,
    host,
    setRule: (rule) => core.setRule(rule),
    requests: () => core.records.map((r) => ({ ...r })),
    reset: () => {
      core.setRule(undefined);
      core.records = [];
      core.releaseStalled();
    },
    stop: () =>
      (stopping ??= (async () => {
        core.releaseStalled();
        server.closeAllConnections();
        await closeServer(server);
        core.agent.destroy();
      })()),
  };
}
