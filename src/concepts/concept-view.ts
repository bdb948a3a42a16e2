import type { TopLevelCondition } from 'json-rules-engine';

export const CONCEPT_KINDS = ['attribute', 'text', 'crowd', 'caller'] as const;
export type ConceptKind = (typeof CONCEPT_KINDS)[number];
export const CONCEPT_STATUSES = ['proposed', 'accepted', 'merged', 'retired'] as const;
export type ConceptStatus = (typeof CONCEPT_STATUSES)[number];

/** One event in a concept's life; renames keep the old name so labels given under it stay readable. */
export interface ConceptEvent {
  event: 'created' | 'proposed' | 'accepted' | 'renamed' | 'merged' | 'absorbed' | 'retired' | 'updated';
  at: string;
  from?: string;
  to?: string;
  concept?: { id: number; name: string };
  phrase?: string;
}

/** A concept as the API returns it. */
export interface ConceptView {
  id: number;
  name: string;
  description: string;
  aliases: string[];
  kind: ConceptKind;
  status: ConceptStatus;
  mergedInto: { id: number; name: string } | null;
  /** json-rules-engine condition over item attributes (attribute concepts only). */
  condition: TopLevelCondition | null;
  history: ConceptEvent[];
  /** Free-text mentions recorded for it (tasks and failure reports). */
  mentions: number;
  /** Concept answers (yes/no/unsure) given for it. */
  answers: number;
  /** Attribute concepts: items where the condition holds / does not hold (unresolved items have no value). */
  values?: { present: number; absent: number };
  createdAt: Date;
  updatedAt: Date;
}

/** Selects `ConceptView` rows; append WHERE on `c`. */
export const CONCEPT_SELECT = `
  SELECT c.id, c.name, c.description, c.aliases, c.kind, c.status, c.merged_into AS "mergedIntoId", m.name AS "mergedIntoName",
         c.condition, c.history, c.created_at AS "createdAt", c.updated_at AS "updatedAt",
         (SELECT count(*)::int FROM concept_mentions x WHERE x.concept_id = c.id) AS mentions,
         (SELECT count(*)::int FROM concept_answers x WHERE x.concept_id = c.id) AS answers,
         CASE WHEN c.kind = 'attribute' THEN
           (SELECT json_build_object('present', count(*) FILTER (WHERE v.present), 'absent', count(*) FILTER (WHERE NOT v.present))
              FROM concept_item_values v WHERE v.concept_id = c.id)
         END AS "values"
    FROM concepts c LEFT JOIN concepts m ON m.id = c.merged_into`;

export interface ConceptRow extends Omit<ConceptView, 'mergedInto' | 'values'> {
  mergedIntoId: number | null;
  mergedIntoName: string | null;
  values: { present: number; absent: number } | null;
}

export function toConceptView(r: ConceptRow): ConceptView {
  const view: ConceptView = {
    id: r.id,
    name: r.name,
    description: r.description,
    aliases: r.aliases,
    kind: r.kind,
    status: r.status,
    mergedInto: r.mergedIntoId === null ? null : { id: r.mergedIntoId, name: r.mergedIntoName as string },
    condition: r.condition,
    history: r.history,
    mentions: r.mentions,
    answers: r.answers,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
  if (r.kind === 'attribute') view.values = r.values ?? { present: 0, absent: 0 };
  return view;
}

export const historyEvent = (e: Omit<ConceptEvent, 'at'>): ConceptEvent => ({ ...e, at: new Date().toISOString() });
