/**
 * Why Connect did not connect, said for a person who is still in the wizard: the server's wording
 * is written for its stand-alone result page ("start again from the setup wizard"), which reads
 * oddly inside it. Here the next step is always the Connect button right below.
 */
export function connectFailureMessage(reason: string, serverMessage: string, platformName: string): string {
  const again = `Press Connect ${platformName} to try again.`;
  const messages: Record<string, string> = {
    denied: `You chose Deny in ${platformName}, so nothing was connected. When you are ready, press Connect ${platformName} and choose Allow.`,
    expired_state: `The sign-in took longer than 10 minutes, so nothing was connected. ${again}`,
    replayed_state: `That sign-in was already used, so nothing was connected. ${again}`,
    unknown_state: `That sign-in was not started here, so nothing was connected. ${again}`,
    code_rejected: `${platformName} did not accept the sign-in, so nothing was connected. ${again}`,
  };
  return messages[reason] ?? serverMessage;
}
