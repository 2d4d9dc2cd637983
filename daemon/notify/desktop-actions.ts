/** A desktop notification with buttons; the text is plain (each backend escapes what its server reads as markup). */
export interface DesktopActionNotice {
  title: string;
  body: string;
  /** The buttons: `name` is what a press reports, `label` what the person reads. */
  choices: Array<{ name: string; label: string }>;
  /** Epoch ms: the notification goes away then, and a press after it is not heard. */
  expiresAt: number;
  /** Names the notification for `close` (an approval's `approval:ID`). */
  key?: string;
}

export interface DesktopActions {
  /**
   * Shows the notification; `onChoice` hears a press (at most one). Resolves true once the desktop
   * took it, false when it did not (no notification server, too many open, already expired).
   */
  show(notice: DesktopActionNotice, onChoice: (name: string) => void): Promise<boolean>;
  /** The keys of the notifications with buttons open now. */
  openKeys(): string[];
  /** Takes the notification with this key off the screen (decided elsewhere): its buttons would only say so. */
  close(key: string): void;
  /** Closes every open notification with buttons and ends what listens for them: no button is left that does nothing. */
  stop(): Promise<void>;
}
