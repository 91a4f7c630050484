/**
 * happy-dom does no layout, so every element measures 0x0 and a virtualised list would show no rows. This gives
 * scroll containers of the apps list the size a window would (the virtualiser reads clientWidth/clientHeight),
 * leaving every other element as happy-dom reports it. Returns the function that restores the originals.
 */
export function giveScrollContainersASize(width = 1200, height = 720): () => void {
  const proto = HTMLElement.prototype;
  const saved = ['clientWidth', 'clientHeight'].map((key) => [key, Object.getOwnPropertyDescriptor(Element.prototype, key) ?? Object.getOwnPropertyDescriptor(proto, key)] as const);
  const sized = (el: HTMLElement) => el.classList.contains('apps-scroll');
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get(this: HTMLElement) { return sized(this) ? width : 0; } });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get(this: HTMLElement) { return sized(this) ? height : 0; } });
  return () => {
    for (const [key, descriptor] of saved) {
      delete (proto as unknown as Record<string, unknown>)[key];
      if (descriptor && !Object.getOwnPropertyDescriptor(Element.prototype, key)) Object.defineProperty(proto, key, descriptor);
    }
  };
}
