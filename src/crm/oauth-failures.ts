import { platforms, type PlatformId } from './platforms.js';

/**
 * Why a callback connected nothing, and the fixed sentence shown for each. The provider's own words
 * (`error_description`, token-endpoint messages, exception text) never reach the page: they are
 * attacker-controllable on a forged callback and meaningless to the person; they go to the log.
 */
export type CallbackFailure =
  | 'denied' | 'missing_state' | 'unknown_state' | 'replayed_state' | 'expired_state' | 'other_browser'
  | 'code_rejected' | 'provider_error' | 'wrong_account' | 'unreachable' | 'untrusted_location';

const messages: Record<CallbackFailure, (name: string) => string> = {
  denied: (name) => `You declined access in ${name}, so nothing was connected. Press Connect again when you are ready.`,
  missing_state: () => 'This page was opened without the information it needs. Nothing was connected; start the connection again from Pulse.',
  unknown_state: () => 'This sign-in link was not issued by Pulse (or has been cleaned up). Nothing was connected; start the connection again from Pulse.',
  replayed_state: () => 'This sign-in link was already used. Each link works once: start the connection again from Pulse.',
  expired_state: () => 'This sign-in link expired (they last 10 minutes). Nothing was connected; start the connection again from Pulse.',
  other_browser: () => 'This sign-in was started in another browser, so nothing was connected. If someone sent you this link, ignore it. If you started it, connect again from Pulse in this browser.',
  code_rejected: (name) => `${name} rejected the authorization code. Nothing was connected; start again.`,
  provider_error: (name) => `${name} reported an error. Nothing was connected; try again in a minute.`,
  wrong_account: (name) => `You signed in to a different ${name} account than the one this integration syncs. Nothing was changed: reconnect with the same account, or connect the other one as a new integration.`,
  untrusted_location: (name) => `${name} said your account lives at an address that is not one of ${name}'s own, so Pulse did not connect to it. Nothing was connected; try again, and tell your administrator if it happens again.`,
  unreachable: (name) => `${name} could not be reached to finish the connection. Nothing was connected; check the network and try again.`,
};

export function failureMessage(reason: CallbackFailure, platform?: PlatformId): string {
  return messages[reason](platform ? platforms[platform].name : 'The CRM');
}

/** RFC 6749 §4.1.2.1: `access_denied` (HubSpot also says `user_denied`) is the person's choice. */
export function reasonForProviderError(code: string): CallbackFailure {
  return code === 'access_denied' || code === 'user_denied' ? 'denied' : 'provider_error';
}
