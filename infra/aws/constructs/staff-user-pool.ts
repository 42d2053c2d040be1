import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { RoleSchema, type Role } from '../../../shared/domain/identity/identity';

/**
 * What each staff group may do; the group names are the roles the API reads from `cognito:groups`
 * (`RoleSchema`), so a group missing here is a role nobody can be given. What each says it reads is what the
 * API lets it read (`ROLE_CASE_READS`; a test holds them together).
 */
export const STAFF_GROUP_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  agent:
    'Handles the cases of their units: acknowledges, answers, extends, reassigns. Reads case content ' +
    '(their units); never confidential complaints.',
  supervisor:
    'Agent rights plus oversight of the units they supervise (escalations land here); changes a case ' +
    'category. Reads case content (their units); never confidential complaints.',
  'complaints-officer':
    'Responsable des plaintes: the only role that handles confidential complaints, and moves a case out of ' +
    'them. Reads case content (their units), and confidential complaints in full.',
  auditor:
    'Compliance reports from the ledgers. Reads case metadata only, never case content; confidential ' +
    'complaints as metadata only.',
  admin:
    'Manages staff accounts and configuration, and repairs case assignments and categories. Reads case ' +
    'metadata only, never case content (each read recorded); never confidential complaints.',
};

/** The staff roles, in the order `RoleSchema` declares them (also their Cognito group precedence). */
export const STAFF_GROUPS: readonly Role[] = RoleSchema.options;

/** The custom attribute listing the units (queues) a staff member works in, as `custom:units` in tokens. */
export const UNITS_ATTRIBUTE = 'units';

export interface StaffUserPoolProps {
  /** `jalon-<stage>-staff`. */
  readonly userPoolName: string;
  /** Prefix of the Cognito-hosted sign-in domain. */
  readonly domainPrefix: string;
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** Outside dev: deletion protection on, and the pool (every staff account) survives its stack. */
  readonly retain: boolean;
}

/**
 * The staff directory of identities: accounts created by an administrator only (no self sign-up), email as
 * the sign-in name, TOTP MFA required (staff read personal information), a long password with every
 * character class and no reuse, and Cognito threat protection (Plus plan) enforcing on compromised
 * credentials and risky sign-ins. The five role groups and the `units` attribute carry authorization
 * into the tokens the staff API's JWT authorizer verifies.
 *
 * The staff pages sign in with the authorization-code flow and PKCE through the Cognito domain: a public
 * client (no secret, since it runs in a browser). Users cannot write `custom:units` or their groups
 * through that client: what someone may see is set by an administrator, never by the person.
 */
export class StaffUserPool extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly staffPagesClient: cognito.UserPoolClient;
  public readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: StaffUserPoolProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        [UNITS_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      // In French: the staff of a Québec public body work in French (Charte de la langue française).
      userInvitation: {
        emailSubject: 'Votre compte Jalon',
        emailBody:
          'Bonjour,<br/><br/>Un compte Jalon a été créé pour vous.<br/>Nom d’utilisateur : {username}<br/>' +
          'Mot de passe temporaire : {####}<br/><br/>Vous devrez le changer et configurer une application ' +
          'd’authentification à la première connexion.',
      },
      userVerification: {
        emailSubject: 'Jalon : code de vérification',
        emailBody: 'Votre code de vérification Jalon est {####}.',
        emailStyle: cognito.VerificationEmailStyle.CODE,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    STAFF_GROUPS.forEach((group, precedence) => {
      new cognito.CfnUserPoolGroup(this, `${pascalCase(group)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: STAFF_GROUP_DESCRIPTIONS[group],
        precedence,
      });
    });

    const standardWritable = { email: true, fullname: true } as const;
    this.staffPagesClient = this.userPool.addClient('StaffPagesClient', {
      userPoolClientName: `${props.userPoolName}-pages`,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...props.logoutUrls],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // A working day: staff sign in again each morning.
      refreshTokenValidity: Duration.hours(10),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ ...standardWritable, emailVerified: true })
        .withCustomAttributes(UNITS_ATTRIBUTE),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes(standardWritable),
    });

    this.domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
  }
}

/** `complaints-officer` → `ComplaintsOfficer`. */
function pascalCase(name: string): string {
  return name
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}
