import { AppWindow, KeyRound } from 'lucide-react';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import type { DeployResult } from './deploy-types';

/** Result: the app's URLs and its generated credentials, shown this once with copy buttons; "open canvas". */
export function ResultStep({ result, onOpenCanvas }: { result: DeployResult; onOpenCanvas(): void }) {
  return (
    <div className="stack" data-testid="deploy-result">
      <div className="card">
        <dl>
          {result.urls.map((url) => (
            <div className="field" key={url}>
              <dt>Address</dt>
              <dd className="copy-line">
                <span className="mono">{url}</span>
                <CopyButton text={url} label={`Copy ${url}`} />
              </dd>
            </div>
          ))}
        </dl>
      </div>
      {result.credentials.length > 0 && (
        <Banner tone="warn" role="note" title="Save these credentials now" testId="deploy-credentials">
          <span>They are shown only this once; Proximity does not keep them.</span>
          <dl>
            {result.credentials.map((c) => (
              <div className="field" key={c.label}>
                <dt>
                  <KeyRound size={13} aria-hidden /> {c.label}
                </dt>
                <dd className="copy-line">
                  <span className="mono">{c.value}</span>
                  <CopyButton text={c.value} label={`Copy ${c.label}`} />
                </dd>
              </div>
            ))}
          </dl>
        </Banner>
      )}
      <div className="form-actions">
        <Button variant="primary" icon={<AppWindow size={15} aria-hidden />} onClick={onOpenCanvas} data-testid="deploy-open-canvas">
          Open canvas
        </Button>
      </div>
    </div>
  );
}
