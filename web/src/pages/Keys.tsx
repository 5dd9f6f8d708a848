import { useSearchParams } from "react-router";
import { asEnvironment, type KeyFilter } from "../components/keys/keyQueries";
import { KeysPanel } from "../components/keys/KeysPanel";
import { PageHeader } from "../components/PageHeader";

/**
 * KeysPage lists the customer's API keys across apps (GET
 * /api/v1/api-keys), filtered by app and environment (kept in the
 * address: ?app=…&environment=…), and creates, rotates and revokes them.
 */
export function KeysPage() {
  const [params, setParams] = useSearchParams();
  const filter: KeyFilter = {
    appId: params.get("app") || undefined,
    environment: asEnvironment(params.get("environment")),
  };

  function setFilter(next: KeyFilter) {
    const search = new URLSearchParams();
    if (next.appId) {
      search.set("app", next.appId);
    }
    if (next.environment) {
      search.set("environment", next.environment);
    }
    setParams(search, { replace: true });
  }

  return (
    <>
      <PageHeader
        title="API keys"
        description="The keys your callers use, per app and environment. A key is shown once, when it is created or rotated."
      />
      <KeysPanel filter={filter} onFilterChange={setFilter} />
    </>
  );
}
