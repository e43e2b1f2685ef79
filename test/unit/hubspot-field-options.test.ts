import { describe, expect, it } from 'vitest';
import { labelledProperties, pipelineOptions, propertyOptions } from '../../src/crm/hubspot/field-options.js';

describe('HubSpot field labels', () => {
  it('turns pipelines into pipeline and stage labels, in HubSpot\'s order', () => {
    expect(pipelineOptions([{ id: 'default', label: 'Sales Pipeline', displayOrder: 0, stages: [
      { id: 'qualifiedtobuy', label: 'Qualified To Buy', displayOrder: 1 },
      { id: 'appointmentscheduled', label: 'Appointment Scheduled', displayOrder: 0 },
    ] }])).toEqual([
      { object: 'deals', field: 'pipeline', value: 'default', label: 'Sales Pipeline', displayOrder: 0 },
      { object: 'deals', field: 'stage', value: 'qualifiedtobuy', label: 'Qualified To Buy', displayOrder: 1 },
      { object: 'deals', field: 'stage', value: 'appointmentscheduled', label: 'Appointment Scheduled', displayOrder: 0 },
    ]);
  });

  it('keeps an enumeration property\'s options under our canonical field, and tolerates a property without options', () => {
    const industry = labelledProperties[0];
    expect(propertyOptions(industry, { options: [{ value: 'COMPUTER_SOFTWARE', label: 'Computer Software' }] }))
      .toEqual([{ object: 'companies', field: 'industry', value: 'COMPUTER_SOFTWARE', label: 'Computer Software', displayOrder: 0 }]);
    expect(propertyOptions(industry, {})).toEqual([]);
  });
});
