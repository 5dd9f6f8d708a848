import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The admin API this dev server sends API calls to (aegis server's admin
// role, AEGIS_ADMIN_ADDR). In production the admin API serves the built
// files itself, so the dashboard and the API share one origin and the
// session cookies need no CORS.
const adminAPI = "http://127.0.0.1:3001";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  base: "/",
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": adminAPI,
      "/health": adminAPI,
      "/ready": adminAPI,
    },
  },
  preview: {
    host: "127.0.0.1",
    port: 4173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
});
