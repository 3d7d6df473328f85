/** The output formats (kept apart from the renderers so start-up does not load them). */
export type Format = 'table' | 'json' | 'ndjson' | 'markdown' | 'junit';
export const FORMATS: readonly Format[] = ['table', 'json', 'ndjson', 'markdown', 'junit'];
