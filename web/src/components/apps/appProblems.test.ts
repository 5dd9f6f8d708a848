import { describe, expect, it } from "vitest";
import { ApiError, NetworkError } from "../../api/error";
import { problemErrors, problemsOf } from "./appProblems";

// The messages are the admin API's own, as it answers bad app bodies.
describe("problemsOf", () => {
  it.each([
    ["validation failed: body.hostnames: expected array length >= 1", "hostnames"],
    ["validation failed: body.name: expected length >= 1", "name"],
    ["validation failed: body.slug: expected string to match pattern ^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", "slug"],
    ["validation failed: body.upstreams[0].url: expected string", "upstreams"],
    ["validation failed: body.timeouts.read_ms: expected integer", "readMs"],
    ['hostname "1.2.3.4" is not a valid DNS name', "hostnames"],
    ['path prefix "v1" must start with / and be a clean path (no //, ., .., %, ?, #)', "pathPrefixes"],
    ['upstream "ftp://x" must be an http or https URL with a host', "upstreams"],
    ["upstream weight must be 1 to 1000", "upstreams"],
    ["timeouts.connect_ms must be 1 to 60000", "connectMs"],
    ["auth_mode jwt needs jwt settings", "authMode"],
    ["jwt.algorithms must name at least one algorithm", "algorithms"],
    ["an HS algorithm needs jwt hs256_secret", "secret"],
    ["jwt hs256_secret must be at least 32 characters", "secret"],
    ["RS, PS, ES and EdDSA algorithms need jwt public_keys_pem or jwks_url", "publicKeys"],
    ["jwt.jwks_url must not point at an internal address: the host 127.0.0.1 is a loopback address", "jwksUrl"],
    ['jwt claim name "a b" is not valid', "claims"],
    ["authorize_url must be an http or https URL", "authorizeUrl"],
    ['slug "shop" is already used by another app', "slug"],
    ["route api.acme.example/v1 is already used by another app", "hostnames"],
    ["name must be 1 to 120 characters", "name"],
  ])("takes %j to %s", (message, field) => {
    const code = message.includes("already used") ? "conflict" : "invalid";
    const text = message.replace(/^validation failed: /, "");

    expect(problemsOf(new ApiError(code === "conflict" ? 409 : 400, code, message))).toEqual([{ text, field }]);
  });

  it("splits every problem of one answer", () => {
    const err = new ApiError(
      400,
      "invalid",
      'hostname "1.2.3.4" is not a valid DNS name; upstream weight must be 1 to 1000; something new',
    );

    expect(problemsOf(err)).toEqual([
      { text: 'hostname "1.2.3.4" is not a valid DNS name', field: "hostnames" },
      { text: "upstream weight must be 1 to 1000", field: "upstreams" },
      { text: "something new", field: undefined },
    ]);
    expect(problemErrors(problemsOf(err))).toEqual({
      hostnames: 'Hostname "1.2.3.4" is not a valid DNS name',
      upstreams: "Upstream weight must be 1 to 1000",
    });
  });

  it("finds none in an error that is not about the body", () => {
    expect(problemsOf(new ApiError(403, "forbidden", "this needs the developer role or higher; you are viewer"))).toEqual([]);
    expect(problemsOf(new NetworkError())).toEqual([]);
  });
});
