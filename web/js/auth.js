// Signing in with the collective's Cognito user pool, straight from the browser: Cognito's
// JSON API by fetch (InitiateAuth USER_PASSWORD_AUTH, the NEW_PASSWORD_REQUIRED challenge,
// REFRESH_TOKEN_AUTH, ForgotPassword / ConfirmForgotPassword). Tokens live in localStorage
// until sign-out clears them.
import { getConfig } from './config.js';

const SESSION_KEY = 'coop.session';
const REFRESH_MARGIN_MS = 60_000;

export class AuthError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code; // Cognito's __type, e.g. NotAuthorizedException
  }
}

async function cognito(action, body) {
  const config = getConfig();
  let response;
  try {
    response = await fetch(config.cognito_endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new AuthError('NetworkError', String(error));
  }
  const text = await response.text();
  const answer = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const code = String(answer.__type || 'Error').split('#').pop();
    throw new AuthError(code, answer.message || answer.Message || code);
  }
  return answer;
}

function decode(token) {
  const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = decodeURIComponent(
    atob(payload).split('').map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
  );
  return JSON.parse(json);
}

function store(result, refreshToken) {
  const claims = decode(result.IdToken);
  const session = {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken || refreshToken,
    expiresAt: claims.exp * 1000,
    email: claims.email || claims['cognito:username'],
    groups: claims['cognito:groups'] || [],
  };
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function session() {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY));
  } catch {
    return null;
  }
}

export function isSignedIn() {
  return session() !== null;
}

export function isAdmin() {
  return (session()?.groups || []).includes('admin');
}

// Signs in; answers {challenge: 'NEW_PASSWORD_REQUIRED', session} for a first sign-in.
export async function signIn(email, password) {
  const username = email.trim().toLowerCase();
  const answer = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: getConfig().user_pool_client_id,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (answer.ChallengeName) {
    return { challenge: answer.ChallengeName, session: answer.Session, username };
  }
  return { signedIn: store(answer.AuthenticationResult) };
}

export async function setNewPassword(username, challengeSession, newPassword) {
  const answer = await cognito('RespondToAuthChallenge', {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ClientId: getConfig().user_pool_client_id,
    Session: challengeSession,
    ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
  });
  return store(answer.AuthenticationResult);
}

let refreshing = null;

// Fresh tokens from the refresh token, quietly; null when the session cannot be renewed.
export async function refresh() {
  const current = session();
  if (!current?.refreshToken) return null;
  refreshing = refreshing || cognito('InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: getConfig().user_pool_client_id,
    AuthParameters: { REFRESH_TOKEN: current.refreshToken },
  }).then((answer) => store(answer.AuthenticationResult, current.refreshToken))
    .catch(() => null)
    .finally(() => { refreshing = null; });
  return refreshing;
}

// The ID token to send to the API, refreshed first when it is about to expire.
export async function idToken() {
  let current = session();
  if (!current) return null;
  if (current.expiresAt - Date.now() < REFRESH_MARGIN_MS) {
    current = await refresh();
  }
  return current?.idToken || null;
}

export async function forgotPassword(email) {
  return cognito('ForgotPassword', {
    ClientId: getConfig().user_pool_client_id,
    Username: email.trim().toLowerCase(),
  });
}

export async function confirmForgotPassword(email, code, password) {
  return cognito('ConfirmForgotPassword', {
    ClientId: getConfig().user_pool_client_id,
    Username: email.trim().toLowerCase(),
    ConfirmationCode: code.trim(),
    Password: password,
  });
}

// A signed-in member changes their password (Cognito's ChangePassword with the access token).
export async function changePassword(previous, proposed) {
  await idToken(); // refreshes the tokens first when they are about to expire
  const current = session();
  if (!current?.accessToken) throw new AuthError('NotAuthorizedException', 'not signed in');
  return cognito('ChangePassword', {
    AccessToken: current.accessToken, PreviousPassword: previous, ProposedPassword: proposed,
  });
}

// Everything the app kept about the person goes: tokens and cached data.
export function signOut() {
  localStorage.removeItem(SESSION_KEY);
  sessionStorage.clear();
}
