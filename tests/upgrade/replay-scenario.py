#!/usr/bin/env python3
"""Replays a civ release's contract scenario (tests/contract/requests.json of that release)
against a running civhost over HTTP, as tests/contract/contract_test.cpp does in process:
"{name}" substitution, "save" (JSON pointer or "@location"), {"today": ...} steps through
POST /api/v1/admin/clock (civhost serve with CIV_TEST_CLOCK=1). Used by make-fixture.sh.

  replay-scenario.py <requests.json> <base-url> <tokens.json>

tokens.json maps "user/role" to a bearer token. Prints one line per failed step and exits 1 if
any step did not succeed.
"""
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

scenario_path, base, tokens_path = sys.argv[1:4]
scenario = json.load(open(scenario_path, encoding="utf-8"))
tokens = json.load(open(tokens_path, encoding="utf-8"))
users = scenario["users"]
saved = {}
NAME = re.compile(r"\{([a-z0-9_]+)\}")


class Missing(Exception):
    pass


def substitute(text):
    def one(match):
        name = match.group(1)
        if name not in saved:
            raise Missing(name)
        value = saved[name]
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return NAME.sub(one, text)


def substitute_body(value):
    if isinstance(value, str):
        if len(value) > 2 and value[0] == "{" and value[-1] == "}" and "{" not in value[1:]:
            name = value[1:-1]
            if name in saved:
                return saved[name]  # keeps the JSON type
        return substitute(value)
    if isinstance(value, dict):
        return {k: substitute_body(v) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute_body(v) for v in value]
    return value


def pointer(document, path):
    for part in path.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(document, list):
            document = document[int(part)]
        else:
            document = document[part]
    return document


def call(method, path, body, token):
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


failures = 0
requests = 0
for index, step in enumerate(scenario["steps"], start=1):
    where = f"step {index}" + (f" ({step['why']})" if "why" in step else "")
    try:
        if "today" in step:
            status, _, text = call("POST", "/api/v1/admin/clock",
                                   {"today": substitute(step["today"])}, tokens["root/admin"])
            if status != 200:
                failures += 1
                print(f"{where}: moving the clock answered {status} {text[:300]!r}")
            continue
        if "operation" not in step:
            continue
        role = step["role"]
        user = step.get("user", users[role])
        path = substitute(step["path"])
        query = "&".join(urllib.parse.quote(k, safe="-_.~") + "=" +
                         urllib.parse.quote(substitute(v), safe="-_.~")
                         for k, v in step.get("query", {}).items())
        body = substitute_body(step["body"]) if "body" in step else None
    except Missing as missing:
        failures += 1
        print(f"{where}: not saved by an earlier step: {missing}")
        continue
    method = step["method"].upper()
    status, headers, text = call(method, path + ("?" + query if query else ""), body,
                                 tokens[f"{user}/{role}"])
    requests += 1
    if method != "GET":
        time.sleep(0.1)  # civhost's delivery thread delivers the events of this write
    if not 200 <= status <= 299 or ("status" in step and status != step["status"]):
        failures += 1
        print(f"{where}: {method} {path} as {user} ({role}) answered {status} "
              f"{text[:400].decode('utf-8', 'replace')}")
        continue
    for name, source in step.get("save", {}).items():
        try:
            if source == "@location":
                saved[name] = next(v for k, v in headers.items() if k.lower() == "location")
            else:
                saved[name] = pointer(json.loads(text), source)
        except (StopIteration, KeyError, IndexError, ValueError):
            failures += 1
            print(f"{where}: the answer has no {source} to save as {name}")

print(f"replayed {requests} requests, {failures} failed", file=sys.stderr)
sys.exit(1 if failures else 0)
