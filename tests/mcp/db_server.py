"""A database MCP server over a real SQLite file, written with the official MCP Python SDK.

Tools (names as an MCP client sees them):
- `describe_schema`  the tables and their columns (read)
- `read_query`       one SELECT; refused by the server itself if it is not a read
- `execute_sql`      arbitrary SQL, any number of statements (the dangerous one)
- `get_confirmation` asks the client through elicitation (a server-to-client request); only
  with `--elicitation`

Usage:
    python db_server.py --db PATH [--http PORT] [--json-response] [--suffix TEXT] [--elicitation]

Without --http it speaks stdio. `--suffix` is appended to every tool description: restarting
the server with another suffix is a changed tool definition (a "rug pull").
"""

from __future__ import annotations

import argparse
import json
import sqlite3

from mcp.server.mcpserver import Context, MCPServer
from pydantic import BaseModel


def build(db: str, suffix: str, elicitation: bool = False) -> MCPServer:
    server = MCPServer("airlock-test-db")

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        return conn

    @server.tool(description="List the tables of the database and their columns." + suffix)
    def describe_schema() -> str:
        with connect() as conn:
            tables = [r["name"] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            out = {t: [c["name"] for c in conn.execute(f"PRAGMA table_info('{t}')")] for t in tables}
        return json.dumps(out, sort_keys=True)

    @server.tool(description="Run one read-only SELECT and return the rows as JSON." + suffix)
    def read_query(sql: str) -> str:
        conn = connect()
        try:
            conn.execute("PRAGMA query_only = ON")
            rows = [dict(r) for r in conn.execute(sql).fetchall()]
        finally:
            conn.close()
        return json.dumps(rows, sort_keys=True)

    @server.tool(description="Execute arbitrary SQL (any statements) and commit." + suffix)
    def execute_sql(sql: str) -> str:
        conn = connect()
        try:
            conn.executescript(sql)
            conn.commit()
            changes = conn.total_changes
        finally:
            conn.close()
        return json.dumps({"ok": True, "changes": changes})

    if not elicitation:
        return server

    class Confirmation(BaseModel):
        confirmed: bool

    @server.tool(description="Get the user's confirmation through elicitation (a request of the server)." + suffix)
    async def get_confirmation(question: str, ctx: Context) -> str:
        answer = await ctx.elicit(question, Confirmation)
        return json.dumps({"action": answer.action, "confirmed": getattr(answer.data, "confirmed", None)})

    return server


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--http", type=int, default=0)
    p.add_argument("--json-response", action="store_true")
    p.add_argument("--suffix", default="")
    p.add_argument("--elicitation", action="store_true")
    args = p.parse_args()
    server = build(args.db, args.suffix, args.elicitation)
    if args.http:
        server.run(
            "streamable-http",
            host="127.0.0.1",
            port=args.http,
            json_response=args.json_response,
        )
    else:
        server.run("stdio")


if __name__ == "__main__":
    main()
