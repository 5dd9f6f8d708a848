import type { Propagation } from "./keyQueries";

/**
 * propagationText says how far a change reached the gateway nodes, from
 * the propagated answer of a command sent with ?wait=propagated; "" for
 * an answer without one.
 */
export function propagationText(propagated: Propagation | undefined): string {
  if (!propagated) {
    return "";
  }
  const { nodes, of } = propagated;
  if (of === 0) {
    return "No gateway node is running right now; each one applies the change when it starts.";
  }
  const text = `Propagated to ${nodes} of ${of} gateway ${of === 1 ? "node" : "nodes"}.`;
  return nodes < of ? `${text} The others apply it as soon as they catch up.` : text;
}
