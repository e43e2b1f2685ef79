import type { FieldOption } from '../connector.js';

/**
 * HubSpot's labels for the coded values we store. Deal stages and pipelines come from the pipelines
 * API (https://developers.hubspot.com/docs/api/crm/pipelines), enumeration properties from the
 * properties API's `options` (https://developers.hubspot.com/docs/api/crm/properties). Pure
 * mapping, so the shapes are tested without a server.
 */

/** Enumeration properties whose options label one of our canonical fields. */
export const labelledProperties = [
  { object: 'companies', property: 'industry', field: 'industry' },
] as const;

export interface HubspotPipeline {
  id: string;
  label: string;
  displayOrder?: number;
  stages?: { id: string; label: string; displayOrder?: number }[];
}

export function pipelineOptions(pipelines: HubspotPipeline[]): FieldOption[] {
  return pipelines.flatMap((pipeline, index) => [
    { object: 'deals' as const, field: 'pipeline', value: pipeline.id, label: pipeline.label, displayOrder: pipeline.displayOrder ?? index },
    ...(pipeline.stages ?? []).map((stage, order) => ({
      object: 'deals' as const, field: 'stage', value: stage.id, label: stage.label, displayOrder: stage.displayOrder ?? order,
    })),
  ]);
}

export function propertyOptions(
  target: (typeof labelledProperties)[number],
  property: { options?: { value: string; label: string; displayOrder?: number; hidden?: boolean }[] },
): FieldOption[] {
  return (property.options ?? []).map((option, order) => ({
    object: target.object, field: target.field, value: option.value, label: option.label, displayOrder: option.displayOrder ?? order,
  }));
}
