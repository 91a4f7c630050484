import { Activity, Boxes, LayoutGrid, Rocket, Server, Settings, MonitorCog, AppWindow } from 'lucide-react';
import type { Screen } from '../features/navigation/navigation-store';

export interface ScreenInfo {
  title: string;
  /** One line under the title: what the screen is for, in the operator's words. */
  subtitle: string;
  Icon: typeof Boxes;
}

/** Titles, subtitles and icons of every screen: the sidebar, the palette and the headers use this one list. */
export const SCREEN_INFO: Record<Screen, ScreenInfo> = {
  apps: { title: 'Apps', subtitle: 'Every app you deployed, where it runs and how to reach it.', Icon: LayoutGrid },
  catalog: { title: 'Catalog', subtitle: 'Self-hosted apps ready to deploy onto your Proxmox node.', Icon: Boxes },
  deploy: { title: 'Deploy an app', subtitle: 'Configure, review exactly what will happen, then deploy.', Icon: Rocket },
  infrastructure: { title: 'Infrastructure', subtitle: 'Your Proxmox nodes and the network appliance that connects your apps.', Icon: Server },
  activity: { title: 'Activity', subtitle: 'Everything Proximity changed, newest first.', Icon: Activity },
  settings: { title: 'Settings', subtitle: 'Ports, network, deployment and appearance.', Icon: Settings },
  system: { title: 'System', subtitle: 'This installation: version, data folder and database health.', Icon: MonitorCog },
  canvas: { title: 'Canvas', subtitle: 'The app itself, inside Proximity.', Icon: AppWindow },
};

/** Sidebar order. Canvas is per app (reached from the apps list, palette or tray); Deploy from the catalog. */
export const SIDEBAR_SCREENS = ['apps', 'catalog', 'infrastructure', 'activity', 'settings', 'system'] as const satisfies readonly Screen[];
