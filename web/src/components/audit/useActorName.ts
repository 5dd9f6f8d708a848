import { useCallback } from "react";
import { useProfile } from "../RequireAuth";
import { useMembers } from "../members/useMembers";
import type { Actor } from "./events";

/**
 * useActorName returns a function that says who an actor is: "You", a
 * member's email, an access token, or the CLI's operator. A member no
 * longer listed has been removed.
 */
export function useActorName(): (actor: Actor) => string {
  const me = useProfile();
  const members = useMembers();
  const list = members.data?.members;
  return useCallback(
    (actor: Actor) => {
      switch (actor.kind) {
        case "member": {
          if (actor.id === me.member_id) {
            return "You";
          }
          const member = list?.find((one) => one.member_id === actor.id);
          if (member) {
            return member.email;
          }
          return list ? "A removed member" : "A member";
        }
        case "token":
          return "An access token";
        case "cli":
          return actor.id ? `CLI (${actor.id})` : "CLI";
        default:
          return actor.id ? `${actor.kind} ${actor.id}` : actor.kind;
      }
    },
    [me.member_id, list],
  );
}
