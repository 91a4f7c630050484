export { startWebBridge } from './web-bridge-server';
export type { WebBridge, WebBridgeOptions } from './web-bridge-server';
