"""A tiny fake OpenAI-compatible server for the guard example and tests (chat completions, streaming).

It echoes the last user message back, word by word when ``stream`` is true, so whatever the guard
lets through is visible in the answer. Prompts containing ``leak-a-key`` make it answer with a
(fake, assembled) credential, to show output redaction.

    python examples/guard/fake_openai.py --port 5002
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

FAKE_KEY = "AKIA" + "IOSFODNN7" + "EXAMPLE"


def _answer(body: dict[str, object]) -> str:
    messages = body.get("messages") or []
    last = messages[-1]["content"] if isinstance(messages, list) and messages else ""
    text = f"You said: {last}"
    if "leak-a-key" in str(last):
        text += f" Here is the deploy key {FAKE_KEY} for you."
    return text


async def _events(text: str, delay: float) -> AsyncIterator[bytes]:
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()), "model": "fake"}
    first = {**base, "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]}
    yield f"data: {json.dumps(first)}\n\n".encode()
    for word in text.split(" "):
        chunk = {**base, "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]}
        yield f"data: {json.dumps(chunk)}\n\n".encode()
        if delay:
            await asyncio.sleep(delay)
    last = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    yield f"data: {json.dumps(last)}\n\n".encode()
    yield b"data: [DONE]\n\n"


async def chat(request: Request) -> JSONResponse | StreamingResponse:
    body = await request.json()
    text = _answer(body)
    if body.get("stream"):
        return StreamingResponse(_events(text, 0.0), media_type="text/event-stream")
    return JSONResponse(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    )


app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5002)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
