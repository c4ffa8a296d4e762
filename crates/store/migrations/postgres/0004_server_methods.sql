-- Custom (vendor) JSON-RPC methods a registered MCP server implements, as a JSON list of exact
-- method names. A client may send one of them through the gateway or the wrapper; it is checked
-- like a tool call (action `mcp.<method>`), never forwarded unchecked. Any other method that the
-- MCP specification does not define stays refused.
ALTER TABLE servers ADD COLUMN allowed_methods TEXT NOT NULL DEFAULT '[]';
