import { AlertTriangle, Info, XCircle } from 'lucide-react';
import type { ReactNode } from 'react';

export type BannerTone = 'info' | 'warn' | 'bad';
const ICONS: Record<BannerTone, typeof Info> = { info: Info, warn: AlertTriangle, bad: XCircle };

export interface BannerProps {
  tone: BannerTone;
  title?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  /** `alert` interrupts screen readers: only for problems that need attention now. */
  role?: 'alert' | 'status' | 'note';
  testId?: string;
  className?: string;
  [data: `data-${string}`]: string | undefined;
}

/** A message across the top of a screen or section: an icon, a title, text and optional actions. */
export function Banner({ tone, title, children, actions, role, testId, className, ...data }: BannerProps) {
  const Icon = ICONS[tone];
  return (
    <div className={className ? `banner ${className}` : 'banner'} data-tone={tone} role={role} data-testid={testId} {...data}>
      <Icon size={18} aria-hidden />
      <div className="banner-body">
        {title && <div className="banner-title">{title}</div>}
        {children}
      </div>
      {actions && <div className="banner-actions">{actions}</div>}
    </div>
  );
}
