import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// `npm run dev` proxies the API to a running `civicgrid demo` (default 127.0.0.1:8080,
// or CIVICGRID_API). `npm run build` writes web/dist, which crates/webui embeds.
const api = process.env.CIVICGRID_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  base: '/',
  server: { proxy: { '/api': api, '/healthz': api } },
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
  },
})
