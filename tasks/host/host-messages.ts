/**
 * The sentences the task host itself says (the core's are in src/messages.ts). `npm run gen` writes both catalogs
 * into every task.json's `messages`, so tl.loc finds them; plain data, so scripts can read it without task-lib.
 */
export const hostMessages = {
  Error_ConnectionNotFound: "Service connection '%s' is not available to this job. Check that it exists and that this pipeline may use it.",
  Error_ConnectionSchemeUnsupported:
    "Service connection '%s' uses the authentication scheme '%s'. Lockstep supports 'Token' (a personal access token) and 'UsernamePassword' (with a personal access token as the password).",
  Error_ConnectionTokenMissing: "Service connection '%s' holds no token (scheme '%s').",
  Error_CanceledByAgent: 'Stopped because the agent canceled the job (%s).',
  Info_CancelRequested: 'The agent asked the task to stop (%s); stopping.',
  Warning_ForcedExit: 'The task did not stop within %s ms of %s; exiting now.',
} as const;

export type HostMessageKey = keyof typeof hostMessages;
