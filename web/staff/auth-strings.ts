import type { PageLanguage } from '../citizen/strings';

/** The words of the sign-in pages that only exist with the Cognito sign-in, and of the session's end. */
export interface StaffAuthStrings {
  readonly cognitoIntro: string;
  readonly cognitoSubmit: string;
  readonly cognitoHint: string;
  readonly callbackTitle: string;
  readonly callbackWorking: string;
  readonly callbackFailed: string;
  readonly callbackRetry: string;
  readonly expiredTitle: string;
  readonly expiredIntro: string;
  readonly expiredUnsaved: string;
  readonly expiredSignIn: string;
}

const NBSP = '\u00a0';

const FR: StaffAuthStrings = {
  cognitoIntro: 'Connectez-vous avec votre compte de l’organisation.',
  cognitoSubmit: 'Se connecter',
  cognitoHint: `La page de connexion de l’organisation vous demandera votre courriel, votre mot de passe et le code de votre application d’authentification, puis vous ramènera ici.`,
  callbackTitle: 'Connexion en cours',
  callbackWorking: 'Connexion en cours…',
  callbackFailed: `La connexion n’a pas abouti (lien expiré, ouvert dans un autre onglet ou connexion refusée). Aucune session n’a été ouverte.`,
  callbackRetry: 'Recommencer la connexion',
  expiredTitle: 'Session expirée',
  expiredIntro: `Votre session a pris fin${NBSP}: pour protéger les dossiers, une session dure au plus une heure. Reconnectez-vous pour continuer.`,
  expiredUnsaved: 'Ce que vous étiez en train d’écrire sans l’avoir enregistré n’a pas été conservé.',
  expiredSignIn: 'Se reconnecter',
};

const EN: StaffAuthStrings = {
  cognitoIntro: 'Sign in with your organization account.',
  cognitoSubmit: 'Sign in',
  cognitoHint:
    'The organization’s sign-in page will ask for your email, your password and the code of your authenticator app, then bring you back here.',
  callbackTitle: 'Signing in',
  callbackWorking: 'Signing in…',
  callbackFailed:
    'Sign-in did not complete (the link expired, was opened in another tab, or sign-in was refused). No session was opened.',
  callbackRetry: 'Sign in again',
  expiredTitle: 'Session expired',
  expiredIntro:
    'Your session has ended: to protect the cases, a session lasts at most one hour. Sign in again to continue.',
  expiredUnsaved: 'Anything you were writing and had not saved was not kept.',
  expiredSignIn: 'Sign in again',
};

export const STAFF_AUTH_STRINGS: Readonly<Record<PageLanguage, StaffAuthStrings>> = { fr: FR, en: EN };
