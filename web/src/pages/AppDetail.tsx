import { useParams } from "react-router";
import { PageHeader } from "../components/PageHeader";

/** AppDetailPage shows one app, its configuration and its API keys. */
export function AppDetailPage() {
  const { id } = useParams();
  return <PageHeader title="App" description={`The configuration and API keys of app ${id ?? ""}.`} />;
}
