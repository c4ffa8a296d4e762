-- How long (seconds, 0-600) the gateway and the wrapper hold a tools/call of this server that
-- needs an approval, waiting for the approval to be decided, before answering with the denial.
-- 0: never wait (the call is denied at once, as before).
ALTER TABLE servers ADD COLUMN approval_wait_secs INTEGER NOT NULL DEFAULT 0;
