/** What reached the emulator, so tests and benchmarks can count Graph round trips. */

export interface BatchPartRecord {
  id: string;
  method: string;
  url: string;
  status: number;
}

export interface RequestRecord {
  at: string;
  method: string;
  /** Below /v1.0, with the query string. */
  url: string;
  status: number;
  durationMs: number;
  /** Set for POST /$batch: what each part asked and got. */
  batchParts?: BatchPartRecord[];
}

export class RequestLog {
  private records: RequestRecord[] = [];

  add(record: RequestRecord): void {
    this.records.push(record);
  }

  all(): RequestRecord[] {
    return [...this.records];
  }

  clear(): void {
    this.records = [];
  }
}
