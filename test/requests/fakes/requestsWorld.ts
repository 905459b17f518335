import { ApproverPolicy } from '../../../src/requests/approvers';
import type { Actor } from '../../../src/requests/groupRequest';
import type { RequestFormValues } from '../../../src/requests/requestForm';
import { requestContext, type RequestServiceDeps } from '../../../src/requests/requestServiceDeps';
import { InMemoryDirectory } from './inMemoryDirectory';
import { InMemoryRequestStore } from './inMemoryRequestStore';

const APPROVERS_GROUP = '4f1d2c3b-0000-4000-8000-000000000001';

/** The requests domain on in-memory ports, with a clock the test moves. */
export function requestsWorld(overrides: Partial<RequestServiceDeps> = {}) {
  const store = new InMemoryRequestStore();
  const directory = new InMemoryDirectory();
  const clock = { now: new Date('2026-03-02T09:00:00.000Z') };
  const backgroundErrors: unknown[] = [];
  const deps: RequestServiceDeps = {
    store,
    directory,
    approvers: new ApproverPolicy(directory, APPROVERS_GROUP, 0),
    writerFor: () => directory,
    checkRule: () => undefined,
    tenantId: '6a0e4f2c-9b1d-4e3a-8c7f-5d2b1a0e9c84',
    now: () => clock.now,
    onBackgroundError: (error) => backgroundErrors.push(error),
    ...overrides,
  };
  const person = (upn: string, options: { approver?: boolean } = {}): Actor => {
    const user = directory.addUser(upn, options);
    return { aadObjectId: user.id, name: user.displayName };
  };
  return { store, directory, clock, deps, ctx: requestContext(deps), person, backgroundErrors };
}

/** A form a requester could send: every field valid, the people named by UPN. */
export function validForm(values: RequestFormValues = {}): RequestFormValues {
  return {
    displayName: 'SG-Finance-Close',
    owners: 'olga.owner@contoso.example',
    members: 'mia.member@contoso.example',
    justification: 'Quarter close needs a shared group.',
    ...values,
  };
}
