/** The names a query uses, by language, so a test can hold them against what a service emitted. */

export interface Emitted {
  /** The Prometheus scrape, in the classic text format. */
  scrape: string;
  spanAttributes: Set<string>;
  resourceAttributes: Set<string>;
  logAttributes: Set<string>;
  /** Fields of the JSON log lines, nested objects flattened with dots. */
  logFields: Set<string>;
}

/** Loki's structured-metadata and label form of an OTLP attribute name. */
export const lokiName = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

export function flatten(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? flatten(inner as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/** Names a query uses that the service did not emit (empty when every one is real). */
export function unknownNames(language: string, query: string, emitted: Emitted): string[] {
  const unknown: string[] = [];
  if (language === 'promql') {
    const series = new Set([...emitted.scrape.matchAll(/^([a-z_:][a-z0-9_:]*)[{ ]/gm)].map((match) => match[1]!));
    const labels = new Set(['job', 'instance', 'le', ...[...emitted.scrape.matchAll(/[{,]([a-z_][a-z0-9_]*)="/g)].map((match) => match[1]!)]);
    for (const match of query.matchAll(/\b([a-z][a-z0-9_]*)\s*[{[]/g)) if (!series.has(match[1]!)) unknown.push(`metric ${match[1]}`);
    for (const match of query.matchAll(/\b(?:by|on|group_left|ignoring|without)\s*\(([^)]*)\)/g)) {
      for (const label of match[1]!.split(',').map((name) => name.trim()).filter(Boolean)) if (!labels.has(label)) unknown.push(`label ${label}`);
    }
    for (const selector of query.matchAll(/\{([^}]*)\}/g)) {
      for (const match of selector[1]!.matchAll(/([a-z_][a-z0-9_]*)\s*(?:=~|!~|!=|=)/g)) if (!labels.has(match[1]!)) unknown.push(`label ${match[1]}`);
    }
  } else if (language === 'traceql') {
    for (const match of query.matchAll(/\b(span|resource)\.([\w.-]+?)(?=\s*(?:=|!=|>|<|,|\)|&&|\|\||$))/gm)) {
      const names = match[1] === 'span' ? emitted.spanAttributes : emitted.resourceAttributes;
      if (!names.has(match[2]!)) unknown.push(`${match[1]}.${match[2]}`);
    }
  } else if (language === 'logql') {
    const labels = new Set([...emitted.resourceAttributes].map(lokiName));
    const metadata = new Set(['severity_text', 'trace_id', 'span_id', ...[...emitted.logAttributes].map(lokiName)]);
    for (const selector of query.matchAll(/\{([^}]*)\}/g)) {
      for (const match of selector[1]!.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) if (!labels.has(match[1]!)) unknown.push(`label ${match[1]}`);
    }
    for (const match of query.matchAll(/\|\s*(\w+)\s*(?:=~|!~|!=|=)/g)) if (!metadata.has(match[1]!)) unknown.push(`metadata ${match[1]}`);
    for (const match of query.matchAll(/\bby\s*\(([^)]*)\)/g)) {
      for (const label of match[1]!.split(',').map((name) => name.trim())) if (!labels.has(label)) unknown.push(`label ${label}`);
    }
  } else if (language === 'es' || language === 'viewer') {
    // The viewer also takes the OTLP spelling of the request ID and the resource's version.
    const fields = new Set([...emitted.logFields, ...(language === 'viewer' ? ['request.id', 'version'] : [])]);
    for (const match of query.matchAll(/(?:^|\s|\()-?([\w.-]+):/gm)) if (!fields.has(match[1]!)) unknown.push(`field ${match[1]}`);
  } else {
    unknown.push(`no checker for ${language}`);
  }
  return unknown;
}
