// The reference page for bench/panel.ts: React 18 and one button, nothing else.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')).render(createElement('button', { type: 'button' }, 'Ready'));
