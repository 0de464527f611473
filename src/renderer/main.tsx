import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api';
import { ApiContext } from './api/hooks';
import { App } from './App';
import { QuickSearch } from './quick/QuickSearch';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <ApiContext.Provider value={createApiClient()}>
      {/* The quick-search window loads the same page at #/quick. */}
      {window.location.hash.startsWith('#/quick') ? <QuickSearch /> : <App />}
    </ApiContext.Provider>
  </StrictMode>,
);
