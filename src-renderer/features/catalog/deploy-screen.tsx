import { Boxes, ClipboardCheck, Rocket, Settings2, Sparkles } from 'lucide-react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { ScreenHeader } from '../../components/screen-header';
import { SCREEN_INFO } from '../../shell/screen-catalogue';
import { DeployWizard } from '../deploy/deploy-wizard';
import { useDeployStore } from '../deploy/deploy-store';
import { useNavigationStore } from '../navigation/navigation-store';

const STEPS = [
  { title: 'Configure', Icon: Settings2, text: 'Hostname (checked as you type), the app’s parameters, resources with their minimums, and the target node with its free CPU, memory and storage.' },
  { title: 'Review', Icon: ClipboardCheck, text: 'Exactly what will happen before anything is applied: node, VMID, network, ports, proxy routes and DNS name.' },
  { title: 'Deploy', Icon: Rocket, text: 'A live step list, a progress bar and the streaming task log, with cancel.' },
  { title: 'Result', Icon: Sparkles, text: 'The URLs, generated credentials shown once with copy buttons, and “open canvas”.' },
] as const;

/**
 * The deploy wizard for the app chosen in the catalog; until main offers the catalog and deploy channels, the
 * steps the operator will go through.
 */
export function DeployScreen({ api }: { api: DesktopApi }) {
  const show = useNavigationStore((s) => s.show);
  const { app, nodes } = useDeployStore();
  if (app) {
    return (
      <section className="screen" data-testid="deploy-screen">
        <ScreenHeader title={`Deploy ${app.name}`} subtitle={SCREEN_INFO.deploy.subtitle} />
        <DeployWizard key={app.id} api={api} app={app} nodes={nodes} />
      </section>
    );
  }
  return (
    <section className="screen" data-testid="deploy-screen">
      <ScreenHeader
        title={SCREEN_INFO.deploy.title}
        subtitle={SCREEN_INFO.deploy.subtitle}
        actions={
          <Button icon={<Boxes size={15} aria-hidden />} onClick={() => show('catalog')}>
            Browse the catalog
          </Button>
        }
      />
      <p className="muted form-intro" data-testid="coming-later">
        Not connected yet: deploying arrives with the deploy engine. These are the steps you will go through.
      </p>
      <ol className="wizard-steps">
        {STEPS.map(({ title, Icon, text }, i) => (
          <li key={title}>
            <Card title={`${i + 1}. ${title}`} icon={<Icon size={15} aria-hidden />}>
              <p>{text}</p>
            </Card>
          </li>
        ))}
      </ol>
    </section>
  );
}
