export { harnessRouter, type HarnessOptions } from './router';
export { interpolate, readSidePanel, type SidePanelComponent } from './manifest';
