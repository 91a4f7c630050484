import { Notification } from 'electron';

/** Shows a desktop notification; falls back to the log where the OS has no notification service. */
export function notifyDesktop(title: string, body: string, log: (line: string) => void = console.log): void {
  if (!Notification.isSupported()) {
    log(`[notify] ${title}: ${body}`);
    return;
  }
  new Notification({ title, body, silent: true }).show();
}
