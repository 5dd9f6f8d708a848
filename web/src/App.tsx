import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { createBrowserRouter } from "react-router";
import { RouterProvider } from "react-router";
import { ToastProvider } from "./components/Toast";

/** Router is a router made from the dashboard's routes. */
export type Router = ReturnType<typeof createBrowserRouter>;

/** App is the dashboard: its router, with the query cache and toasts. */
export function App({ router, queryClient }: { router: Router; queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  );
}
