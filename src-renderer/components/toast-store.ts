import { create } from 'zustand';

export type ToastTone = 'good' | 'bad' | 'info';

export interface ToastMessage {
  id: string;
  tone: ToastTone;
  title: string;
  description?: string;
  /** One follow-up the operator can take from the toast (e.g. "Show details"). */
  action?: { label: string; run(): void };
}

export interface ToastState {
  toasts: ToastMessage[];
  /** Shows a toast; a toast with the same id replaces the earlier one (no duplicates for one operation). */
  show(toast: Omit<ToastMessage, 'id'> & { id?: string }): string;
  dismiss(id: string): void;
}

/** At most this many toasts at once; the oldest goes first. */
export const TOAST_LIMIT = 4;
let counter = 0;

/** The toasts on screen, newest last (rendered by `Toaster`). */
export const useToastStore = create<ToastState>((set) => ({
  toasts: [],
  show: (toast) => {
    const id = toast.id ?? `toast-${++counter}`;
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.id !== id), { ...toast, id }].slice(-TOAST_LIMIT) }));
    return id;
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shorthand for code outside React. */
export function showToast(toast: Omit<ToastMessage, 'id'> & { id?: string }): string {
  return useToastStore.getState().show(toast);
}
