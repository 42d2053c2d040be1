import { Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import type { ServiceContext } from './service-context';

/**
 * The SES identities a function may send as: the sender's domain identity (what is normally verified, with
 * DKIM in the organization's DNS) and the address identity (used instead when only the address is
 * verified). SES authorizes `SendEmail` against whichever identity it resolves, so both are granted, and
 * nothing else: no wildcard, no other domain.
 *
 * The identities are created and verified by `addMailIdentities` when the settings give a hosted zone, and
 * out of band otherwise.
 */
export function sesIdentityArns(scope: Construct, service: ServiceContext): string[] {
  const stack = Stack.of(scope);
  return [service.senderDomain, service.senderAddress].map((identity) =>
    stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
  );
}

/** What `addMailIdentities` creates. */
export interface MailIdentities {
  /** The sender domain's identity: Easy DKIM and the custom MAIL FROM domain. */
  readonly sender: ses.EmailIdentity;
  /** The intake domain's identity (SES receives only for a verified domain); the sender's when they are one. */
  readonly intake: ses.EmailIdentity;
  /** The intake domain's MX record to the region's SES inbound endpoint. */
  readonly intakeMx: route53.MxRecord;
}

/** The SES inbound (receiving) endpoint of a region, which the intake domain's MX record names. */
export function sesInboundEndpoint(region: string): string {
  return `inbound-smtp.${region}.amazonaws.com`;
}

/**
 * With a hosted zone in the settings (`mailDnsZone`), the SES identities and DNS records the deploy guide's
 * step 6 otherwise makes by hand: the sender domain's identity with Easy DKIM (three CNAME records) and its
 * custom MAIL FROM domain (MX to the region's feedback endpoint, SPF TXT), the intake domain's identity with
 * Easy DKIM when it is another domain, and the intake domain's MX record to the region's inbound endpoint.
 * Without a zone, nothing (`undefined`).
 *
 * `Identity.publicHostedZone` names the identity after the zone, so each domain gets a view of the same zone
 * (same id) under its own name: the records land in the zone, named below that domain.
 */
export function addMailIdentities(scope: Construct, service: ServiceContext): MailIdentities | undefined {
  const zone = service.mailDnsZone;
  if (zone === undefined) return undefined;
  const zoneFor = (id: string, domain: string) =>
    route53.PublicHostedZone.fromPublicHostedZoneAttributes(scope, id, {
      hostedZoneId: zone.hostedZoneId,
      zoneName: domain,
    });
  const senderZone = zoneFor('SenderDomainZone', service.senderDomain);
  const sender = new ses.EmailIdentity(scope, 'SenderIdentity', {
    identity: ses.Identity.publicHostedZone(senderZone),
    mailFromDomain: zone.mailFromDomain,
    // A missing MAIL FROM MX record sends from amazonses.com rather than refusing the mail.
    mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
  });
  const sameDomain = service.intakeMailDomain === service.senderDomain;
  const intakeZone = sameDomain ? senderZone : zoneFor('IntakeDomainZone', service.intakeMailDomain);
  const intake = sameDomain
    ? sender
    : new ses.EmailIdentity(scope, 'IntakeIdentity', { identity: ses.Identity.publicHostedZone(intakeZone) });
  const intakeMx = new route53.MxRecord(scope, 'IntakeMxRecord', {
    zone: intakeZone,
    recordName: service.intakeMailDomain,
    values: [{ priority: 10, hostName: sesInboundEndpoint(Stack.of(scope).region) }],
    comment: 'Mail to the intake domain goes to SES email receiving (receipt rule set of this stage).',
  });
  return { sender, intake, intakeMx };
}
