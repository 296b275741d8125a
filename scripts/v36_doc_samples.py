"""Extract the v3.6 agent request/response samples of the official LiveChat docs into
`tests/emulator/data/v36_doc_samples.json` (the test replays them against the emulator).

    python scripts/v36_doc_samples.py <livechat-public-docs checkout or bare git dir>

Web samples come from the `curl -d '…'` of each method with the JSON of its `<CodeResponse>`;
RTM samples from the request/response frames of the RTM reference. JSON with `//` comments or
`…` placeholders is cleaned or skipped; the output records which samples were skipped and why.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

PAGES = "src/pages/messaging/agent-chat-api"
OUT = Path(__file__).resolve().parents[1] / "tests/emulator/data/v36_doc_samples.json"


def read(repo: str, path: str) -> str:
    root = Path(repo)
    if (root / path).exists():
        return (root / path).read_text()
    return subprocess.run(
        ["git", "-C", repo, "show", f"HEAD:{path}"], check=True, capture_output=True, text=True
    ).stdout


def loads(text: str):
    text = re.sub(r"^\s*//.*$", "", text, flags=re.M)
    text = re.sub(r",?\s*//[^\"\n]*$", lambda m: "," if m.group(0).lstrip().startswith(",") else "", text, flags=re.M)
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    return json.loads(text)


def web_samples(mdx: str) -> list[dict]:
    out = []
    for section in re.split(r"\n### ", mdx)[1:]:
        curl = re.search(
            r"curl -X POST \\\s*\n\s*https://\S+/v3\.6/agent/action/(\w+)"
            r"((?:.|\n)*?)```",
            section,
        )
        if not curl:
            continue
        action, rest = curl.group(1), curl.group(2)
        body = re.search(r"-d '((?:.|\n)*?)'\s*$", rest.strip(), re.M)
        sample: dict = {"action": action}
        if body:
            sample["request"] = loads(body.group(1))
        elif "-F file=" in rest:
            sample["multipart"] = True
        response = re.search(r"<CodeResponse[^>]*>\s*```(?:json|shell)\n((?:.|\n)*?)```", section)
        if response:
            try:
                parsed = loads(response.group(1))
            except ValueError as exc:
                sample["response_skipped"] = str(exc)
            else:
                if not (isinstance(parsed, dict) and "error" in parsed):  # the Errors section
                    sample["response"] = parsed
        out.append(sample)
    return out


def rtm_samples(mdx: str) -> list[dict]:
    out = []
    for section in re.split(r"\n### ", mdx)[1:]:
        frames = []
        for block in re.findall(r"```json\n((?:.|\n)*?)```", section):
            try:
                frames.append(loads(block))
            except ValueError:
                continue
        requests = [
            f
            for f in frames
            if isinstance(f, dict)
            and "action" in f
            and f.get("type") not in ("response", "push")
            and isinstance(f.get("payload"), dict)
        ]
        responses = [f for f in frames if isinstance(f, dict) and f.get("type") == "response"]
        for req in requests:
            if not re.fullmatch(r"[a-z_]+", req["action"]):
                continue  # the generic `<action>` frame of the introduction
            sample = {"action": req["action"], "request": req["payload"]}
            match = [r for r in responses if r.get("action") == req["action"]]
            if match:
                sample["response"] = match[0].get("payload")
            out.append(sample)
    return out


def main(repo: str) -> None:
    data = {
        "web": web_samples(read(repo, f"{PAGES}/index.mdx")),
        "rtm": rtm_samples(read(repo, f"{PAGES}/rtm-reference/index.mdx")),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(data['web'])} web and {len(data['rtm'])} RTM samples -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
