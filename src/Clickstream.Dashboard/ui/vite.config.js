import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard serves dist/ itself (embedded in Clickstream.Dashboard.dll); `npm run dev` proxies the API to a
// running `clickstream dashboard` on port 8080.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
