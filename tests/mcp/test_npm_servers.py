"""The reference npm MCP servers (filesystem, memory) behind `airlock mcp wrap`."""

from __future__ import annotations

import anyio

import mcp_support as ms


def test_filesystem_server_reads_pass_and_writes_are_held(airlock, npm_servers, tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    (root / "hello.txt").write_text("hello from disk\n")
    w = ms.world(airlock, "stdio:mcp-server-filesystem", ["*"])
    cmd = [str(npm_servers / "mcp-server-filesystem"), str(root)]

    async def go():
        async with ms.stdio_client(ms.direct_params(cmd)) as c:
            direct = ms.dump(await c.call_tool("read_text_file", {"path": str(root / "hello.txt")}))
        async with ms.stdio_client(ms.wrap_params(w, cmd)) as c:
            names = {t.name for t in (await c.list_tools()).tools}
            read = ms.dump(await c.call_tool("read_text_file", {"path": str(root / "hello.txt")}))
            write = await c.call_tool("write_file", {"path": str(root / "evil.txt"), "content": "x"})
        return direct, names, read, write

    direct, names, read, write = anyio.run(go)
    assert {"read_text_file", "write_file", "list_directory"} <= names
    assert read == direct and "hello from disk" in read["content"][0]["text"]
    assert write.is_error and "Airlock denied `write_file`" in ms.text(write)
    assert not (root / "evil.txt").exists()


def test_memory_server_reads_pass_and_deletes_are_refused(airlock, npm_servers, tmp_path):
    w = ms.world(airlock, "stdio:mcp-server-memory", ["*"])
    memory = tmp_path / "memory.jsonl"
    memory.write_text(
        '{"type":"entity","name":"alice","entityType":"person","observations":["owns account 1"]}\n'
    )
    cmd = [str(npm_servers / "mcp-server-memory")]

    async def go():
        async with ms.stdio_client(ms.wrap_params(w, cmd, env={"MEMORY_FILE_PATH": str(memory)})) as c:
            graph = await c.call_tool("read_graph", {})
            delete = await c.call_tool("delete_entities", {"entityNames": ["alice"]})
        return graph, delete

    graph, delete = anyio.run(go)
    assert not graph.is_error and "alice" in ms.text(graph)
    assert delete.is_error and "Airlock denied `delete_entities`" in ms.text(delete)
    assert "alice" in memory.read_text()
