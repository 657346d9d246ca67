// Build of the civ console. Element Plus components are imported on demand (only what a page
// uses), routes are lazy chunks, and nothing is inlined into index.html: civhost sends a strict
// Content-Security-Policy (script-src 'self').
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { tokenSession } from './dev/token-session.js'

// `npm run dev` / `npm run preview` forward /api to a running civhost (CIV_HOST, default
// http://127.0.0.1:18600). With CIV_DEV_TOKEN set (an API token), a stand-in for the session API
// answers /api/v1/session and adds the token to every request: for working before sign-in exists.
const target = process.env.CIV_HOST || 'http://127.0.0.1:18600'
const proxy = { '/api': { target, changeOrigin: false } }

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver()], dts: false }),
    tokenSession(process.env.CIV_DEV_TOKEN, target),
  ],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 900,
    cssCodeSplit: true,
  },
  server: { proxy, host: '127.0.0.1' },
  preview: { proxy, host: '127.0.0.1' },
})
