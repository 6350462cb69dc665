import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// `npm run dev` proxies the API to a running `civicgrid demo` (default 127.0.0.1:8080,
// or CIVICGRID_API); so does `npm run preview` (a built UI against a server with another UI
// embedded, e.g. for the e2e tests). `npm run build` writes web/dist, which crates/webui embeds.
const api = process.env.CIVICGRID_API ?? 'http://127.0.0.1:8080'
const proxy = { '/api': api, '/healthz': api }

export default defineConfig({
  plugins: [vue()],
  base: '/',
  // `@/core/…`, `@/modules/<module>/…`: a module reaches core and other modules without ../../..
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    rolldownOptions: {
      output: {
        advancedChunks: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'element', test: /node_modules[\\/](element-plus|@element-plus)/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    // Tests wait for conditions (flushPromises, vi.waitFor), never for the clock; these limits
    // only stop a hung test. A component test mounts Element Plus in jsdom, which takes seconds
    // on a loaded 2-core CI machine: Vitest's 5 s default failed there.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
