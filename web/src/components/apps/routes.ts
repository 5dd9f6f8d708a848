import type { App } from "./appQueries";

/** routesOf returns where an app is reached: each hostname with each path
 * prefix, "api.acme.example/v1" (the host alone for the prefix /). */
export function routesOf(config: App["config"]): string[] {
  const prefixes = config.path_prefixes && config.path_prefixes.length > 0 ? config.path_prefixes : ["/"];
  return (config.hostnames ?? []).flatMap((host) => prefixes.map((prefix) => (prefix === "/" ? host : host + prefix)));
}
