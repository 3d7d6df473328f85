import type { Outcome, State } from './states.js';

/** One document as the result reports it (CONTRACT.md "JSON"). Service fields are added in camelCase. */
export interface DocumentReport {
  id: string;
  status?: string;
  state: State;
  failureCode?: string;
  failureReason?: string;
  errorCode?: string;
  errorMessage?: string;
  [field: string]: unknown;
}

export type ServiceName = 'kendra' | 'translation-document' | 'translation-batch' | 'translation-documents';

export interface Summary {
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  error: number;
  byStatus: Record<string, number>;
}

export interface Stats {
  rounds: number;
  requests: number;
  elapsedMs: number;
}

/** What every command collects and every renderer prints. */
export interface Result {
  service: ServiceName;
  target: Record<string, string>;
  outcome: Outcome;
  complete: boolean;
  summary: Summary;
  documents: DocumentReport[];
  /** faults of the whole run that belong to no document (translate-docs: a listing that could not be read) */
  errors?: Array<{ code: string; message: string }>;
  stats: Stats;
}
