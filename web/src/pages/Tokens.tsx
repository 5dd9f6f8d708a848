import { useState } from "react";
import { Button } from "../components/Button";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { LoadingState } from "../components/LoadingState";
import { PageHeader } from "../components/PageHeader";
import { CreateTokenDialog } from "../components/tokens/CreateTokenDialog";
import { RevokeTokenDialog } from "../components/tokens/RevokeTokenDialog";
import { TokenList } from "../components/tokens/TokenList";
import { type Token, useTokens } from "../components/tokens/useTokens";

/**
 * TokensPage lists the member's personal access tokens (GET
 * /api/v1/tokens), creates one (shown once, with a button that copies
 * it) and revokes one after asking. Every member, whatever their role,
 * has their own tokens.
 */
export function TokensPage() {
  const tokens = useTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token>();
  const list = tokens.data?.tokens ?? [];

  return (
    <>
      <PageHeader
        title="Access tokens"
        description="Personal access tokens let the aegis CLI and your scripts act as you. A token is shown once, when it is created."
        actions={<Button onClick={() => setCreating(true)}>Create token</Button>}
      />
      {tokens.isPending ? (
        <LoadingState label="Loading access tokens…" />
      ) : tokens.isError ? (
        <ErrorState title="Could not load your access tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState
          title="No access tokens yet"
          description="Create one for the aegis CLI or a script that manages your apps and keys."
          action={
            <Button tone="secondary" onClick={() => setCreating(true)}>
              Create your first token
            </Button>
          }
        />
      ) : (
        <TokenList tokens={list} onRevoke={setRevoking} />
      )}
      <CreateTokenDialog open={creating} onOpenChange={setCreating} />
      <RevokeTokenDialog token={revoking} onOpenChange={(open) => !open && setRevoking(undefined)} />
    </>
  );
}
