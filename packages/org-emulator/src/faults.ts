/** Fault injection: make the Nth matching request fail, hang up, or wait. */

export type FaultResponse =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** a Salesforce error in the request's own shape: REST `[{message,errorCode}]` or a SOAP fault */
  | { error: string; message?: string; status?: number }
  /** destroy the socket without answering; the org never saw the request */
  | { drop: true }
  /** handle the request (the org does the work), then destroy the socket instead of answering: the answer is lost */
  | { dropAfter: true }
  /** answer normally after a delay */
  | { delayMs: number };

export type FaultSpec = {
  method?: string;
  /** a RegExp tested against the path (no query string), or a substring */
  path?: RegExp | string;
  /** the SOAP operation (first child of soapenv:Body), e.g. 'deploy', 'checkDeployStatus' */
  soapAction?: string;
  /**
   * the SOQL of a query request, a RegExp or a case-insensitive substring, e.g. /FROM\s+LoginHistory/i; a
   * nextRecordsUrl page carries its query's SOQL. Requests without SOQL never match.
   */
  soql?: RegExp | string;
  /**
   * an sObject name (case-insensitive): a query's FROM object, the {name} of /sobjects/{name}/..., or a record
   * type in an sObject collection. Requests about no sObject never match.
   */
  sobject?: string;
  /** the first matching request to fault (1-based, default 1) */
  nth?: number;
  /** how many consecutive matching requests fault from nth on (default 1; Infinity for all) */
  times?: number;
  respond: FaultResponse;
};

export type Fault = FaultSpec & { id: number; seen: number; fired: number; remove(): void };

export type RequestInfo = {
  method: string;
  path: string;
  soapOperation?: string;
  soql?: string;
  sobjects?: readonly string[];
};

function matches(f: FaultSpec, req: RequestInfo): boolean {
  if (f.method && f.method.toUpperCase() !== req.method.toUpperCase()) return false;
  if (f.path !== undefined && !(typeof f.path === 'string' ? req.path.includes(f.path) : f.path.test(req.path)))
    return false;
  if (f.soapAction && f.soapAction !== req.soapOperation) return false;
  if (f.soql !== undefined) {
    if (req.soql === undefined) return false;
    if (
      typeof f.soql === 'string'
        ? !req.soql.toLowerCase().includes(f.soql.toLowerCase())
        : !testRegExp(f.soql, req.soql)
    )
      return false;
  }
  if (f.sobject !== undefined) {
    const want = f.sobject.toLowerCase();
    if (!req.sobjects?.some((o) => o.toLowerCase() === want)) return false;
  }
  return true;
}

/** RegExp.test without the lastIndex state a /g or /y pattern would carry from one request to the next. */
function testRegExp(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

export class FaultInjector {
  private readonly list: Fault[] = [];
  private nextId = 1;

  public add(spec: FaultSpec): Fault {
    const fault: Fault = {
      ...spec,
      id: this.nextId++,
      seen: 0,
      fired: 0,
      remove: () => {
        const i = this.list.indexOf(fault);
        if (i >= 0) this.list.splice(i, 1);
      },
    };
    this.list.push(fault);
    return fault;
  }

  public clear(): void {
    this.list.length = 0;
  }

  public get active(): readonly Fault[] {
    return this.list;
  }

  /** Counts the request against every matching fault and returns the first that fires. */
  public match(req: RequestInfo): FaultResponse | undefined {
    let hit: FaultResponse | undefined;
    for (const f of this.list) {
      if (!matches(f, req)) continue;
      f.seen += 1;
      const first = f.nth ?? 1;
      const times = f.times ?? 1;
      if (!hit && f.seen >= first && f.seen < first + times) {
        f.fired += 1;
        hit = f.respond;
      }
    }
    return hit;
  }
}
