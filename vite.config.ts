import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig } from 'vite';

// The web app lives in src/web; the server serves the build from dist/web (or ATTAIN_WEB_DIR, see src/cli/config.ts).
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: process.env.ATTAIN_WEB_DIR ? path.resolve(process.env.ATTAIN_WEB_DIR) : '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'mantine', test: /node_modules[\\/]@mantine/ },
            { name: 'icons', test: /node_modules[\\/]@tabler/ },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
    },
  },
});
