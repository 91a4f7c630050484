import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { installWebBridgeIfNeeded } from './bridge/install-web-bridge';
import { desktopApi } from './lib/desktop-api';
import './components/index.css';

installWebBridgeIfNeeded();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App api={desktopApi()} />
  </StrictMode>,
);
