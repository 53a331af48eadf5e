import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const appPort = Number(process.env.APP_PORT ?? 5173);

export default defineConfig({
  plugins: [react()],
  server: { host: 'localhost', port: appPort, strictPort: true },
  preview: { host: 'localhost', port: appPort, strictPort: true },
  build: {
    target: 'es2022',
    sourcemap: false,
    rollupOptions: { input: { main: 'index.html', launch: 'launch.html' } },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          globalSetup: ['test/support/globalSetup.ts'],
          include: [
            'src/**/*.test.ts',
            'sandbox/**/*.test.ts',
            'fhir-profiles/**/*.test.ts',
            'test/integration/**/*.test.ts',
          ],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src/**/*.test.tsx', 'test/integration/**/*.test.tsx'],
          setupFiles: ['test/support/setupDom.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
