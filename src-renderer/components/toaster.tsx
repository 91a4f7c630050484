import { CheckCircle2, Info, X, XCircle } from 'lucide-react';
import { Toast } from 'radix-ui';
import { Button } from './button';
import { IconButton } from './icon-button';
import { useToastStore, type ToastTone } from './toast-store';

const ICONS: Record<ToastTone, typeof Info> = { good: CheckCircle2, bad: XCircle, info: Info };

/** Renders the toast store with Radix Toast (announced politely, F8 focuses the region, swipe/Escape dismiss). */
export function Toaster() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return (
    <Toast.Provider swipeDirection="right" duration={6000}>
      {toasts.map((t) => {
        const Icon = ICONS[t.tone];
        return (
          <Toast.Root
            key={t.id}
            className="toast"
            data-tone={t.tone}
            data-testid="toast"
            type={t.tone === 'bad' ? 'foreground' : 'background'}
            duration={t.tone === 'bad' ? 12_000 : 6000}
            onOpenChange={(open) => !open && dismiss(t.id)}
          >
            <Icon size={18} aria-hidden />
            <div>
              <Toast.Title className="toast-title">{t.title}</Toast.Title>
              {t.description && <Toast.Description className="toast-description">{t.description}</Toast.Description>}
              {t.action && (
                <Toast.Action asChild altText={t.action.label}>
                  <Button size="sm" className="toast-action" onClick={t.action.run}>
                    {t.action.label}
                  </Button>
                </Toast.Action>
              )}
            </div>
            <Toast.Close asChild>
              <IconButton label="Dismiss" size="sm" icon={<X size={14} aria-hidden />} />
            </Toast.Close>
          </Toast.Root>
        );
      })}
      <Toast.Viewport className="toast-viewport" />
    </Toast.Provider>
  );
}
