export { harnessRouter, type HarnessOptions } from './router';
export { interpolate, readDmsaPermissions, readSidePanel, type SidePanelComponent } from './manifest';
