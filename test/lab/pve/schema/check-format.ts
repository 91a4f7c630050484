// Public single-value format check, for the emulator's handlers and tests.
import { formatFailure, runFormat } from './check';

/** null = the value passes the named format (or is unknown, see UNCHECKED_FORMATS); else PVE's error text. */
export function checkFormat(name: string, value: string): string | null {
  try {
    runFormat(name, value, '');
    return null;
  } catch (err) {
    return `invalid format - ${formatFailure(err)}`;
  }
}
