import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DemoHostApp } from './demo/DemoHostApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DemoHostApp />
  </StrictMode>,
);
