import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ServiceContext } from './service-context';

/**
 * The SES identities a function may send as: the sender's domain identity (what is normally verified, with
 * DKIM in the organization's DNS) and the address identity (used instead when only the address is
 * verified). SES authorizes `SendEmail` against whichever identity it resolves, so both are granted, and
 * nothing else: no wildcard, no other domain.
 *
 * The identities themselves are verified out of band: the organization's DNS is not managed by this app.
 */
export function sesIdentityArns(scope: Construct, service: ServiceContext): string[] {
  const stack = Stack.of(scope);
  return [service.senderDomain, service.senderAddress].map((identity) =>
    stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
  );
}
