import { useNavigationStore } from '../features/navigation/navigation-store';
import { SCREEN_INFO, SIDEBAR_SCREENS } from './screen-catalogue';

/** The main navigation: one button per screen, the current one marked with aria-current. */
export function Sidebar() {
  const screen = useNavigationStore((s) => s.screen);
  const show = useNavigationStore((s) => s.show);
  const current = screen === 'deploy' ? 'catalog' : screen === 'canvas' ? 'apps' : screen;
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <img src="./favicon.svg" alt="" width={22} height={22} />
        <span>Proximity</span>
      </div>
      <ul className="nav-list">
        {SIDEBAR_SCREENS.map((s) => {
          const { title, Icon } = SCREEN_INFO[s];
          const active = current === s;
          return (
            <li key={s}>
              <button
                type="button"
                className="nav-item"
                data-active={active ? 'true' : undefined}
                aria-current={active ? 'page' : undefined}
                data-testid={`nav-${s}`}
                onClick={() => show(s)}
              >
                <Icon size={17} aria-hidden />
                {title}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
