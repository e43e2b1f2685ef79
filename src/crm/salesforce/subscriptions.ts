import type { WebhookSubscriptions } from '../connector-module.js';
import { salesforceObjects } from './spec.js';

/**
 * Salesforce lets no app create outbound messages for an org through its REST API (they are Setup
 * metadata), so "registering" only prepares: shared code generates the connection's secret and
 * address (webhook-subscriptions.ts), and the integration panel shows the person the step below with
 * that address. Nothing is called at Salesforce, so nothing is removed there on disconnect: the
 * address stops being accepted once our record of it is gone.
 * https://help.salesforce.com/s/articleView?id=sf.workflow_managing_outbound_messages.htm
 */
export const salesforceSubscriptions: WebhookSubscriptions = {
  // Every connection has `api`; outbound messages need nothing more of the grant.
  scope: 'api',
  withoutIt: 'Without the API permission Pulse cannot read the records an outbound message names; changes arrive with the next scheduled sync.',
  credentials: 'path',
  manual: {
    name: 'Outbound Message',
    objects: Object.values(salesforceObjects).map((spec) => spec.sobject),
    steps: [
      'In Salesforce Setup, open Flows and create a Record-Triggered Flow for the object, run when a record is created or updated.',
      'Add an Action of type Outbound Message, with the address below as its Endpoint URL and the Id field selected.',
      'Activate the flow, and do the same for each object listed.',
    ],
  },
  async subscribe() {
    return [];
  },
  async unsubscribe() {},
};
