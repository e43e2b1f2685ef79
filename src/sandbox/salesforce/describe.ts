/** `describeGlobal` and `describe` bodies built from the sObject table (objects.ts). */
import { CONTACT_ROLE, OBJECT_TYPES, SOBJECTS, type FieldSpec, type SObjectSpec } from './objects.js';

const ALL = [...OBJECT_TYPES.map((t) => SOBJECTS[t]), CONTACT_ROLE];

function summary(spec: SObjectSpec) {
  const base = `/services/data/v60.0/sobjects/${spec.type}`;
  return {
    name: spec.type, label: spec.label, labelPlural: spec.labelPlural, keyPrefix: spec.keyPrefix, custom: false, createable: true, updateable: true, deletable: true,
    queryable: true, retrieveable: true, searchable: spec !== CONTACT_ROLE, replicateable: true, undeletable: true, layoutable: true, triggerable: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}

export function describeGlobal() {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: ALL.map(summary) };
}

const SOAP: Record<FieldSpec['type'], string> = {
  id: 'tns:ID', reference: 'tns:ID', string: 'xsd:string', email: 'xsd:string', phone: 'xsd:string', url: 'xsd:string', picklist: 'xsd:string', textarea: 'xsd:string',
  currency: 'xsd:double', double: 'xsd:double', int: 'xsd:int', date: 'xsd:date', datetime: 'xsd:dateTime', boolean: 'xsd:boolean',
};

function field(f: FieldSpec) {
  return {
    name: f.name, label: f.label, type: f.type, soapType: SOAP[f.type], custom: f.name.endsWith('__c'), nillable: !f.required && f.type !== 'boolean' && !f.system,
    createable: !f.system, updateable: !f.system, filterable: true, sortable: f.type !== 'textarea', length: ['string', 'email', 'phone', 'url', 'picklist'].includes(f.type) ? 255 : 0,
    referenceTo: f.referenceTo ? [f.referenceTo] : [], relationshipName: f.relationshipName ?? null, restrictedPicklist: !!f.picklist && f.name.endsWith('__c'),
    picklistValues: (f.picklist ?? []).map((value, i) => ({ active: true, defaultValue: i === 0 && f.name === 'StageName', label: value, validFor: null, value })),
  };
}

export function describe(spec: SObjectSpec, _version: string) {
  return { ...summary(spec), fields: spec.fields.map(field), childRelationships: [], recordTypeInfos: [] };
}
