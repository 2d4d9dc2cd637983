/** A message for the user (DESIGN.md, `notify` tool input). */
export interface Notification {
  title: string;
  body: string;
  priority?: "low" | "default" | "high" | "urgent";
  url?: string;
  /** A delivered file; channels that can carry files attach it. */
  attachment?: string;
  /** Buttons that make an HTTP request (ntfy's `http` actions); channels without them show the text only. */
  actions?: NotificationAction[];
  /** Only these channels (by name) may take it: one that already showed it elsewhere is left out. */
  channels?: string[];
}

export interface NotificationAction {
  label: string;
  method: "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface NotifyResult {
  /** The channels that took it; empty means nobody was told. */
  delivered: string[];
  failures: Array<{ channel: string; error: string }>;
}

/** Where notifications go; desktop and phone channels plug in behind this. */
export interface Notifier {
  send(notification: Notification): Promise<NotifyResult>;
}

/** Until a real channel is configured, a notification lives in the journal only (the acted row). */
export function createJournalOnlyNotifier(): Notifier {
  return { send: async () => ({ delivered: ["journal"], failures: [] }) };
}
