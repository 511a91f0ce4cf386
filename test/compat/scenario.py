"""Client-compatibility scenario, Python side: the official `mcp` SDK (2.x) drives the built server over stdio.

Usage: python scenario.py CONFIG_JSON   (or CONFIG_JSON in the env variable COMPAT_SCENARIO_CONFIG)

CONFIG_JSON (the same object test/compat/scenario.ts takes):
  command, args, env            how to start the server (env is merged over the SDK's safe defaults)
  stepTimeoutMs                 per-request timeout
  hostileChatId                 the chat whose customer text is hostile
  bulkCalls                     [{name, arguments}] bulk writes, each sent with a progress callback
  cancel                        {name, arguments, afterMs, settleMs}: started, cancelled after afterMs,
                                then settleMs to let any late traffic for it arrive
  replies                       {confirm: {chatId, draft, edit}, decline: {chatId, draft}}: two customer
                                replies; the person accepts the first with the edit and declines the second
                                (forms of large bulk changes are accepted)

Prints ONE JSON object (the summary, see scenario.ts `ScenarioSummary`) to stdout; diagnostics go to stderr.
Protocol errors come from three places: records the SDK logs at WARNING or above on its loggers (an
unparseable stdout line is logged there), exceptions the session hands to message_handler, and a tap
between the stdio transport and the session that checks every progress notification names a request
still in flight (the SDK itself drops an unknown progress token silently) and every response answers one.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from importlib.metadata import version as package_version
from typing import Any

import anyio
import mcp_types as types
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.message import SessionMessage

# Loggers the SDK writes to: "mcp.*" (transport, dispatcher) and "client" (mcp/client/session.py).
SDK_LOGGERS = ("mcp", "client", "mcp_types")


class ProtocolLog(logging.Handler):
    """Collects the SDK's warnings and errors (and its debug note about late responses) as protocol errors."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(level=logging.DEBUG)
        self.errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is still worth reporting
            message = str(record.msg)
        late_response = "unknown/late request id" in message
        if record.levelno < logging.WARNING and not late_response:
            return
        text = f"[{record.name} {record.levelname}] {message}"
        if record.exc_info and record.exc_info[1] is not None:
            text += f": {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.errors.append(text[:2000])


def install_log_capture(errors: list[str]) -> None:
    handler = ProtocolLog(errors)
    for name in SDK_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    # Anything else that warns (anyio, asyncio) goes to stderr for the test's diagnostics.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)


def has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def strict_json_ok(value: Any) -> bool:
    """Whether `value` serialises to JSON that is valid UTF-8 (no lone surrogates anywhere)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8", errors="strict")
        return True
    except (UnicodeEncodeError, TypeError, ValueError):
        return False


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


class WireTap:
    """Sits between the stdio transport and the session and checks request/response/progress correlation."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        self.in_flight: dict[Any, dict[str, Any]] = {}  # request id -> {method, progress}
        self.requests_sent = 0
        self.responses = 0
        self.progress_seen = 0
        self.unknown_progress = 0
        self.cancelled_sent = 0

    def outbound(self, item: SessionMessage) -> None:
        msg = item.message
        if isinstance(msg, types.JSONRPCRequest):
            self.requests_sent += 1
            meta = (msg.params or {}).get("_meta") or {}
            self.in_flight[msg.id] = {"method": msg.method, "progress": meta.get("progressToken") is not None}
        elif isinstance(msg, types.JSONRPCNotification) and msg.method == "notifications/cancelled":
            self.cancelled_sent += 1
            request_id = (msg.params or {}).get("requestId")
            self.in_flight.pop(request_id, None)

    def inbound(self, item: SessionMessage | Exception) -> None:
        if isinstance(item, Exception):
            self.errors.append(f"[wire] unparseable message from the server: {type(item).__name__}: {item}"[:2000])
            return
        msg = item.message
        if isinstance(msg, types.JSONRPCResponse | types.JSONRPCError):
            self.responses += 1
            if self.in_flight.pop(msg.id, None) is None:
                self.errors.append(f"[wire] response for an unknown or cancelled request id {msg.id!r}")
        elif isinstance(msg, types.JSONRPCNotification) and msg.method == "notifications/progress":
            self.progress_seen += 1
            token = (msg.params or {}).get("progressToken")
            request = self.in_flight.get(token)
            if request is None or not request["progress"]:
                self.unknown_progress += 1
                self.errors.append(
                    f"[wire] progress notification for an unknown progress token {token!r} "
                    f"(no request in flight with that token): {json.dumps(msg.params)[:300]}"
                )


def new_summary() -> dict[str, Any]:
    return {
        "client": f"python mcp {package_version('mcp')}",
        "completed": False,
        "failures": [],
        "protocolErrors": [],
        "requestsSent": 0,
        "answersReceived": 0,
        "progressNotifications": 0,
    }


async def run(config: dict[str, Any], summary: dict[str, Any]) -> None:
    """Runs the scenario, filling `summary` as it goes (so a crash still reports what was seen)."""
    protocol_errors: list[str] = summary["protocolErrors"]
    failures: list[str] = summary["failures"]
    install_log_capture(protocol_errors)
    step_timeout = config.get("stepTimeoutMs", 30_000) / 1000
    tap = WireTap(protocol_errors)
    answers = 0
    requests = 0

    # The person at the client: yes to a large bulk change; each reply step says what they answer.
    person: dict[str, Any] = {
        "answer": types.ElicitResult(action="accept", content={"confirm": True}),
        "forms": 0,
    }

    async def elicitation_callback(context: Any, params: Any) -> types.ElicitResult:
        person["forms"] += 1
        return person["answer"]

    async def message_handler(message: Any) -> None:
        if isinstance(message, Exception):
            protocol_errors.append(f"[session] transport exception: {type(message).__name__}: {message}"[:2000])

    server = StdioServerParameters(
        command=config["command"],
        args=config.get("args", []),
        env=config.get("env", {}),
        cwd=config.get("cwd"),
    )
    try:
        async with stdio_client(server, errlog=sys.stderr) as (transport_read, transport_write):
            session_read_send, session_read = anyio.create_memory_object_stream[SessionMessage | Exception](0)
            session_write, session_write_recv = anyio.create_memory_object_stream[SessionMessage](0)

            async def pump_in() -> None:
                async with session_read_send:
                    async for item in transport_read:
                        tap.inbound(item)
                        await session_read_send.send(item)

            async def pump_out() -> None:
                async with session_write_recv:
                    async for item in session_write_recv:
                        tap.outbound(item)
                        await transport_write.send(item)

            async with anyio.create_task_group() as pumps:
                pumps.start_soon(pump_in)
                pumps.start_soon(pump_out)
                try:
                    async with ClientSession(
                        session_read,
                        session_write,
                        read_timeout_seconds=step_timeout,
                        message_handler=message_handler,
                        elicitation_callback=elicitation_callback,
                        client_info=types.Implementation(name="compat-python", version="1.0.0"),
                    ) as session:

                        async def step(name: str, call: Any) -> Any:
                            nonlocal answers, requests
                            requests += 1
                            try:
                                with anyio.fail_after(step_timeout + 5):
                                    result = await call()
                                answers += 1
                                return result
                            except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
                                failures.append(f"{name}: {type(exc).__name__}: {exc}"[:2000])
                                return None

                        init = await step("initialize", session.initialize)
                        if init is not None:
                            summary["protocolVersion"] = init.protocol_version
                            summary["serverName"] = init.server_info.name

                        tools = await step("tools/list", session.list_tools)
                        summary["tools"] = {"count": len(tools.tools) if tools else None}

                        search = await step(
                            "search_chats",
                            lambda: session.call_tool("search_chats", {"status": ["opened"], "limit": 5}),
                        )
                        if search is not None:
                            chats = (search.structured_content or {}).get("chats")
                            summary["search"] = {
                                "isError": bool(search.is_error),
                                "chatCount": len(chats) if isinstance(chats, list) else None,
                                "statuses": sorted({c.get("status") for c in chats}) if isinstance(chats, list) else None,
                            }

                        hostile = await step(
                            "get_chat (hostile text)",
                            lambda: session.call_tool("get_chat", {"chat_id": config["hostileChatId"]}),
                        )
                        if hostile is not None:
                            text = text_of(hostile)
                            dumped = hostile.model_dump(mode="json", by_alias=True, exclude_none=True)
                            summary["hostile"] = {
                                "isError": bool(hostile.is_error),
                                "containsReplacement": "\ufffd" in text,
                                "loneSurrogates": has_lone_surrogate(json.dumps(dumped, ensure_ascii=False)),
                                # The line was parsed by pydantic's strict JSON parser (lone surrogate escapes
                                # fail it); re-encoding as strict UTF-8 checks nothing slipped through.
                                "strictJson": strict_json_ok(dumped),
                                "excerpt": next((line for line in text.split("\n") if "refund" in line), text[:200])[:300],
                            }

                        bulk: dict[str, Any] = {
                            "calls": 0,
                            "answered": 0,
                            "isErrors": 0,
                            "succeeded": 0,
                            "failed": 0,
                            "progress": 0,
                            "progressPerCall": [],
                            "progressOrdered": True,
                        }
                        summary["bulk"] = bulk
                        for index, call in enumerate(config.get("bulkCalls", [])):
                            bulk["calls"] += 1
                            bulk["progressPerCall"].append(0)
                            last = [float("-inf")]

                            async def on_progress(
                                progress: float, total: float | None, message: str | None, index: int = index, last: list[float] = last
                            ) -> None:
                                bulk["progress"] += 1
                                bulk["progressPerCall"][index] += 1
                                if not progress > last[0] or (total is not None and progress > total):
                                    bulk["progressOrdered"] = False
                                last[0] = progress

                            result = await step(
                                f"bulk {call['name']} #{index + 1}",
                                lambda call=call, cb=on_progress: session.call_tool(
                                    call["name"], call["arguments"], progress_callback=cb
                                ),
                            )
                            if result is not None:
                                bulk["answered"] += 1
                                bulk["isErrors"] += 1 if result.is_error else 0
                                structured = result.structured_content or {}
                                bulk["succeeded"] += int(structured.get("succeeded", 0))
                                bulk["failed"] += int(structured.get("failed", 0))

                        cancel_spec = config.get("cancel")
                        if cancel_spec:
                            cancel: dict[str, Any] = {"outcome": "not started", "progress": 0}
                            summary["cancel"] = cancel

                            async def on_cancel_progress(progress: float, total: float | None, message: str | None) -> None:
                                cancel["progress"] += 1

                            async def cancellable() -> None:
                                try:
                                    await session.call_tool(
                                        cancel_spec["name"], cancel_spec["arguments"], progress_callback=on_cancel_progress
                                    )
                                    cancel["outcome"] = "completed before the cancel"
                                except anyio.get_cancelled_exc_class():
                                    cancel["outcome"] = "cancelled"
                                    raise
                                except Exception as exc:  # noqa: BLE001
                                    cancel["outcome"] = f"error: {type(exc).__name__}: {exc}"

                            # Start the call in a task group, then cancel the group's scope: the SDK sends
                            # notifications/cancelled for the abandoned request.
                            async with anyio.create_task_group() as group:
                                group.start_soon(cancellable)
                                await anyio.sleep(cancel_spec.get("afterMs", 200) / 1000)
                                group.cancel_scope.cancel()
                            cancel["cancelled"] = cancel["outcome"] == "cancelled"
                            await anyio.sleep(cancel_spec.get("settleMs", 1000) / 1000)
                            after = await step("tools/list after the cancel", session.list_tools)
                            cancel["toolsAfter"] = len(after.tools) if after else None

                        replies_spec = config.get("replies")
                        if replies_spec:
                            confirm, decline = replies_spec["confirm"], replies_spec["decline"]
                            replies: dict[str, Any] = {}
                            summary["replies"] = replies
                            for key, spec, answer in (
                                ("confirmed", confirm, types.ElicitResult(action="accept", content={"text": confirm["edit"]})),
                                ("declined", decline, types.ElicitResult(action="decline")),
                            ):
                                person["answer"], person["forms"] = answer, 0
                                result = await step(
                                    f"send_message ({key})",
                                    lambda spec=spec: session.call_tool("send_message", {"chat_id": spec["chatId"], "text": spec["draft"]}),
                                )
                                replies[key] = {
                                    "answered": result is not None,
                                    "isError": bool(result.is_error) if result is not None else None,
                                    "forms": person["forms"],
                                    "text": text_of(result)[:400] if result is not None else None,
                                }

                        # Let spawned notification handlers run before reading the counters.
                        await anyio.sleep(0.2)
                        summary["completed"] = True
                finally:
                    pumps.cancel_scope.cancel()
    finally:
        summary["requestsSent"] = requests
        summary["answersReceived"] = answers
        summary["progressNotifications"] = tap.progress_seen
        summary["wire"] = {
            "requestsSent": tap.requests_sent,
            "responses": tap.responses,
            "progress": tap.progress_seen,
            "unknownProgressTokens": tap.unknown_progress,
            "cancelledSent": tap.cancelled_sent,
        }


def main() -> int:
    raw = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("COMPAT_SCENARIO_CONFIG")
    if not raw:
        print("usage: scenario.py CONFIG_JSON (or set COMPAT_SCENARIO_CONFIG)", file=sys.stderr)
        return 2
    config = json.loads(raw)
    started = time.monotonic()
    summary = new_summary()
    try:
        anyio.run(run, config, summary)
    except BaseException as exc:  # noqa: BLE001 - the JSON summary must still come out
        traceback.print_exc(file=sys.stderr)
        summary["completed"] = False
        summary["failures"].append(f"scenario crashed: {type(exc).__name__}: {exc}"[:2000])
    summary["elapsedMs"] = round((time.monotonic() - started) * 1000)
    sys.stdout.write(json.dumps(summary) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
