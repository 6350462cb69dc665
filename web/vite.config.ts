import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { compression } from 'vite-plugin-compression2'

// `npm run dev` proxies the API to a running `civicgrid demo` (default 127.0.0.1:8080,
// or CIVICGRID_API); so does `npm run preview` (a built UI against a server with another UI
// embedded, e.g. for the e2e tests). `npm run build` writes web/dist, which crates/webui embeds.
const api = process.env.CIVICGRID_API ?? 'http://127.0.0.1:8080'
const proxy = { '/api': api, '/healthz': api }

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus by the components a screen uses (with their own CSS), not the whole library:
    // the resident's page loads a few of them, not 330 KB of all. `dts: false`: the types come
    // from Element Plus's own global declarations (tsconfig).
    // Not under Vitest: the component tests install all of Element Plus (and Node cannot import
    // its CSS files).
    process.env.VITEST ? null : Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
    // Every text asset also as .br and .gz, compressed once at build time; crates/webui serves
    // the one the browser accepts.
    compression({ algorithms: ['gzip', 'brotliCompress'], threshold: 1024, exclude: [/\.(br|gz)$/] }),
  ],
  base: '/',
  // vue-i18n's feature flags: the Composition API only (createI18n({ legacy: false })), no
  // devtools hooks; the legacy API's code then drops out of the bundle.
  define: {
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
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
          // Element Plus is left to the bundler, so each screen's chunks hold the components it uses.
          groups: [
            { name: 'maplibre', test: /node_modules[\\/](maplibre-gl|pmtiles)/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
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
