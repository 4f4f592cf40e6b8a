import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          // Electron shell (imports electron) and the headless entry (never does): same station core.
          index: resolve('src/main/index.ts'),
          headless: resolve('src/main/headless.ts'),
          simulate: resolve('src/main/simulator/cli.ts'),
          // The SQLite worker threads: the writer and the read workers (found next to the bundle by
          // src/main/database/worker-entry.ts).
          'writer-worker': resolve('src/main/database/writer-worker.ts'),
          'read-worker': resolve('src/main/database/read-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads must be CommonJS.
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
})
