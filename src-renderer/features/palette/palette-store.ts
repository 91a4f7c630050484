import { create } from 'zustand';

export interface PaletteState {
  open: boolean;
  setOpen(open: boolean): void;
  toggle(): void;
}

/** Whether the command palette is open (Ctrl/Cmd+K toggles it). */
export const usePaletteStore = create<PaletteState>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
  toggle: () => set((s) => ({ open: !s.open })),
}));
