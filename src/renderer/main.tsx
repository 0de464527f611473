import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api';
import { ApiContext } from './api/hooks';
import { App } from './App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <ApiContext.Provider value={createApiClient()}>
      <App />
    </ApiContext.Provider>
  </StrictMode>,
);
