-- Refresh tokens past their expiry (the purger keeps them a day longer); a token that can no
-- longer be used has nothing left to say.
INSERT INTO identity.retention_rules (target, relation, at_column) VALUES
  ('refresh_tokens', 'identity.refresh_tokens', 'expires_at');

CREATE INDEX refresh_tokens_expiry_idx ON identity.refresh_tokens (expires_at);
