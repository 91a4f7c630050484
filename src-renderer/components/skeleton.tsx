/** A placeholder block while data loads; hidden from assistive tech (the container says aria-busy). */
export function Skeleton({ size = 'md', className }: { size?: 'md' | 'lg'; className?: string }) {
  return <span className={className ? `skeleton ${className}` : 'skeleton'} data-size={size} aria-hidden />;
}
