"""The contract run behind scripts/contract.sh: seed a demo, validate its OpenAPI document, fuzz
a fresh copy of it per role with schemathesis, and judge the failures against allow.toml.

Run through scripts/contract.sh, which provides the virtual environment with the pinned tools.
Everything it writes goes to target/contract/ (one folder per role: server log, schemathesis
output, its NDJSON and JSON reports); --notes also writes the failures as Markdown.

Why a fresh copy per role: what one role's fuzzing changes (a staff account deactivated, a venue
renamed, a citizen deleted) must not fail the next role. Inside a role, the operations listed
under [[last]] in allow.toml (logout, deleting the account, resetting passwords...) run in a
second, short pass after all the others, so they cannot take the session away from them.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
]
# Requests to an operation in the allow-list's [[skip]] or [[last]] never reach these.
SCHEMA_PATH = "/api/v1/openapi.json"


def log(text: str) -> None:
    print(f"== contract: {text}", flush=True)


# ---------------------------------------------------------------------------------------------
# The allow-list


@dataclass
class AllowList:
    skip: dict[str, str]
    last: dict[str, str]
    allow: list[dict]

    @classmethod
    def load(cls, path: Path) -> AllowList:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for section in ("skip", "last", "allow"):
            for entry in data.get(section, []):
                if not entry.get("reason", "").strip():
                    raise SystemExit(f"{path}: an entry of [[{section}]] has no reason: {entry}")
                if section == "allow" and entry.get("check", "*") not in [*CHECKS, "error", "*"]:
                    raise SystemExit(f"{path}: unknown check in [[allow]]: {entry}")
        return cls(
            skip={e["operation"]: e["reason"] for e in data.get("skip", [])},
            last={e["operation"]: e["reason"] for e in data.get("last", [])},
            allow=data.get("allow", []),
        )

    def allowed(self, role: str, operation: str, check: str, message: str,
                field_codes: list[str]) -> dict | None:
        """The entry that accepts this failure, if any. A 422 with several field errors is
        accepted when every one of its codes is listed by some entry that applies here (a
        missing unit and a profile's choice in one answer, say); that entry is returned."""
        applying = []
        for entry in self.allow:
            if entry.get("operation", "*") not in ("*", operation):
                continue
            if entry.get("check", "*") not in ("*", check):
                continue
            roles = entry.get("roles", ["*"])
            if "*" not in roles and role not in roles:
                continue
            if "message" in entry and not re.search(entry["message"], message):
                continue
            if "field_codes" not in entry:
                return entry
            applying.append(entry)
        covered = {code for entry in applying for code in entry["field_codes"]}
        if field_codes and set(field_codes) <= covered:
            return next(e for e in applying if set(field_codes) & set(e["field_codes"]))
        return None


# ---------------------------------------------------------------------------------------------
# Demo servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(method: str, url: str, body: dict | None = None, token: str | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {url}: {e.code} {e.read()[:500]!r}") from e


class Server:
    """`phongdich demo` on a data folder, on a free port of 127.0.0.1."""

    def __init__(self, binary: Path, data: Path, config: Path) -> None:
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data.parent / f"{data.name}.server.log"
        self.log_file = open(self.log_path, "ab")
        env = dict(os.environ, PHONGDICH_LOG=os.environ.get("PHONGDICH_LOG", "warn"))
        self.process = subprocess.Popen(
            [str(binary), "demo", "--addr", f"127.0.0.1:{self.port}", "--data", str(data),
             "--config", str(config)],
            stdout=self.log_file, stderr=subprocess.STDOUT, env=env,
        )
        deadline = time.monotonic() + 300
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"the demo server stopped (exit {self.process.returncode}); "
                                 f"see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"the demo server did not answer /healthz; see {self.log_path}")
            time.sleep(0.3)

    def demo_file(self) -> dict:
        return json.loads((self.data / "demo.json").read_text(encoding="utf-8"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def staff_token(server: Server, username: str, password: str) -> str:
    answer = http_json("POST", f"{server.url}/api/v1/auth/login",
                       {"username": username, "password": password})
    return answer["token"]


def citizen_token(server: Server, phone: str) -> str:
    """Signs a demo citizen in the way a phone does: ask for a code, read the SMS outbox."""
    http_json("POST", f"{server.url}/api/v1/auth/otp", {"phone": phone})
    digits = re.sub(r"\D", "", phone)[-9:]
    code = None
    for line in (server.data / "sms-outbox.jsonl").read_text(encoding="utf-8").splitlines():
        sms = json.loads(line)
        if re.sub(r"\D", "", sms["to"]).endswith(digits):
            found = re.search(r"(?<!\d)(\d{6})(?!\d)", sms["text"])
            code = found.group(1) if found else code
    if code is None:
        raise SystemExit(f"no sign-in code for {phone} in the SMS outbox")
    answer = http_json("POST", f"{server.url}/api/v1/auth/otp/verify",
                       {"phone": phone, "code": code})
    return answer["token"]


# ---------------------------------------------------------------------------------------------
# Roles and runs


@dataclass
class Role:
    name: str
    # None: anonymous; "citizen": the first citizen of demo.json; else a staff username.
    login: str | None
    password: str | None = None


@dataclass
class Finding:
    role: str
    operation: str
    check: str
    title: str
    count: int = 0
    example: str = ""
    allowed_by: str | None = None


@dataclass
class RoleResult:
    role: str
    login: str
    tested: set[str] = field(default_factory=set)
    selected: int = 0
    cases: int = 0
    findings: dict[tuple[str, str, str, str], Finding] = field(default_factory=dict)
    exit_codes: list[int] = field(default_factory=list)

    def failures(self) -> list[Finding]:
        return [f for f in self.findings.values() if f.allowed_by is None]

    def allowed(self) -> list[Finding]:
        return [f for f in self.findings.values() if f.allowed_by is not None]


def roles_of(demo: dict) -> list[Role]:
    roles = [Role("anonymous", None), Role("citizen", "citizen")]
    seen = set()
    for staff in demo["staff"]:
        if staff["role"] not in seen:
            seen.add(staff["role"])
            roles.append(Role(staff["role"], staff["username"], staff["password"]))
    return roles


def decoded(value: object) -> str:
    if isinstance(value, dict) and "$base64" in value:
        return base64.b64decode(value["$base64"]).decode("utf-8", "replace")
    return "" if value is None else str(value)


def printable(text: str) -> str:
    """Control characters (fuzzed strings are full of them) as escapes, so the notes stay text."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)


def describe(interaction: dict | None, failure: dict) -> str:
    """One failing case: the request, the response, then schemathesis' explanation."""
    lines = []
    if interaction:
        request = interaction.get("request", {})
        uri = re.sub(r"^https?://[^/]+", "", request.get("uri", ""))
        lines.append(f"request: {request.get('method')} {uri}")
        body = decoded(request.get("body"))
        if body:
            lines.append(f"body: {body[:400]}")
        response = interaction.get("response") or {}
        if response:
            ctype = ((response.get("headers") or {}).get("content-type") or [""])[0]
            content = decoded(response.get("content"))
            if not re.search(r"json|text|xml", ctype):
                content = f"({len(content)} bytes)"
            lines.append(f"response: {response.get('status_code')} {ctype} {content[:400]}")
            codes = field_codes(interaction)
            if codes:
                lines.append(f"field codes: {', '.join(codes)}")
    message = [line for line in failure.get("message", "").strip().splitlines() if line.strip()]
    return printable("\n".join(lines + message[:12]))


def field_codes(interaction: dict | None) -> list[str]:
    """The `code` of each field error of a 422 problem+json answer (empty for anything else)."""
    response = (interaction or {}).get("response") or {}
    if response.get("status_code") != 422:
        return []
    try:
        problem = json.loads(decoded(response.get("content")))
        return [str(error.get("code")) for error in problem.get("errors", [])]
    except (ValueError, AttributeError):
        return []


def read_report(result: RoleResult, ndjson: Path, report: Path, allow: AllowList) -> None:
    if report.exists():
        doc = json.loads(report.read_text(encoding="utf-8"))
        result.selected += (doc.get("operations") or {}).get("selected", 0)
        result.cases += (doc.get("test_cases") or {}).get("generated", 0)
    if not ndjson.exists():
        add(result, allow, "(run)", "error", "no report", "schemathesis wrote no NDJSON report")
        return
    with ndjson.open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            if "ScenarioFinished" in event:
                recorder = event["ScenarioFinished"].get("recorder", {})
                label = recorder.get("label", "?")
                checks = recorder.get("checks", {})
                if checks and re.match(r"^[A-Z]+ /", label):
                    result.tested.add(label)
                interactions = recorder.get("interactions", {})
                for case_id, nodes in checks.items():
                    for node in nodes:
                        info = node.get("failure_info")
                        if node.get("status") != "failure" or not info:
                            continue
                        failure = info.get("failure", {})
                        operation = failure.get("operation") or label
                        interaction = interactions.get(case_id)
                        add(result, allow, operation, node["name"], failure.get("title", ""),
                            describe(interaction, failure), field_codes(interaction))
            elif "NonFatalError" in event:
                error = event["NonFatalError"]
                value = error.get("value", {})
                message = f"{value.get('type', '')}: {value.get('message', '')}".strip(": ")
                add(result, allow, error.get("label", "?"), "error", value.get("type", "error"),
                    message)
            elif "FatalError" in event:
                value = event["FatalError"].get("exception", {})
                add(result, allow, "(run)", "error", "fatal error", json.dumps(value)[:1000])


def add(result: RoleResult, allow: AllowList, operation: str, check: str, title: str,
        example: str, codes: list[str] | None = None) -> None:
    entry = allow.allowed(result.role, operation, check, example, codes or [])
    reason = entry["reason"] if entry else None
    key = (operation, check, title, reason or "")
    finding = result.findings.get(key)
    if finding is None:
        finding = Finding(result.role, operation, check, title, example=example,
                          allowed_by=reason)
        result.findings[key] = finding
    finding.count += 1


def schemathesis(out: Path, name: str, url: str, token: str | None, seconds: int, seed: int,
                 workers: int, include: list[str] | None, exclude: list[str]) -> int:
    venv_bin = Path(sys.executable).parent
    command = [
        str(venv_bin / "schemathesis"), "run", f"{url}{SCHEMA_PATH}", "--url", url,
        "--checks", ",".join(CHECKS), "--max-time", str(seconds), "--workers", str(workers),
        "--seed", str(seed), "--request-timeout", "20", "--no-color",
        "--generation-database", "none", "--suppress-health-check", "all",
        "--continue-on-failure", "--report", "ndjson,json", "--report-dir", str(out),
        "--report-ndjson-path", str(out / f"{name}.ndjson"),
        "--report-json-path", str(out / f"{name}.json"),
        "--warnings", "off",
    ]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    for label in include or []:
        command += ["--include-name", label]
    for label in exclude:
        command += ["--exclude-name", label]
    with open(out / f"{name}.log", "w", encoding="utf-8") as output:
        return subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, cwd=out,
                              check=False).returncode


def fuzz_role(role: Role, binary: Path, seeded: Path, work: Path, config: Path,
              allow: AllowList, seconds: int, seed: int, workers: int) -> RoleResult:
    out = work / role.name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    data = out / "data"
    shutil.copytree(seeded, data)
    server = Server(binary, data, config)
    try:
        demo = server.demo_file()
        if role.login is None:
            token, login = None, "(none)"
        elif role.login == "citizen":
            login = demo["citizens"][0]["phone"]
            token = citizen_token(server, login)
        else:
            login = role.login
            token = staff_token(server, role.login, role.password or "")
        result = RoleResult(role.name, login)
        last = sorted(allow.last)
        last_seconds = max(5, seconds * 15 // 100) if last else 0
        main_seconds = max(5, seconds - last_seconds)
        excluded = sorted(set(allow.skip) | set(allow.last))
        code = schemathesis(out, "main", server.url, token, main_seconds, seed, workers,
                            None, excluded)
        result.exit_codes.append(code)
        read_report(result, out / "main.ndjson", out / "main.json", allow)
        if last:
            code = schemathesis(out, "last", server.url, token, last_seconds, seed, workers,
                                last, sorted(allow.skip))
            result.exit_codes.append(code)
            read_report(result, out / "last.ndjson", out / "last.json", allow)
    finally:
        server.stop()
    return result


# ---------------------------------------------------------------------------------------------
# The served document


def validate_document(url: str, work: Path) -> list[str]:
    """openapi-spec-validator's errors on the document the server serves (empty: valid)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    with urllib.request.urlopen(f"{url}{SCHEMA_PATH}", timeout=30) as response:
        raw = response.read()
    (work / "openapi.json").write_bytes(raw)
    document = json.loads(raw)
    version = str(document.get("openapi", ""))
    validator = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in validator(document).iter_errors()
    ]


# ---------------------------------------------------------------------------------------------
# Reports


def summary_table(results: list[RoleResult]) -> list[str]:
    rows = ["| role | login | operations tested | test cases | failures | allowed |",
            "| --- | --- | ---: | ---: | ---: | ---: |"]
    for r in results:
        rows.append(f"| {r.role} | {r.login} | {len(r.tested)} of {r.selected} | {r.cases} | "
                    f"{len(r.failures())} | {len(r.allowed())} |")
    return rows


def check_table(results: list[RoleResult]) -> list[str]:
    rows = ["| role | " + " | ".join(CHECKS) + " | error |",
            "| --- |" + " ---: |" * (len(CHECKS) + 1)]
    for r in results:
        counts = [sum(1 for f in r.failures() if f.check == c) for c in [*CHECKS, "error"]]
        rows.append(f"| {r.role} | " + " | ".join(str(n) for n in counts) + " |")
    return rows


def notes(results: list[RoleResult], document_errors: list[str], binary: Path, seconds: int,
          seed: int) -> str:
    lines = [
        "# Contract run: current failures",
        "",
        f"Written by `scripts/contract.sh` (binary `{binary}`, {seconds} s of fuzzing in all, "
        f"seed {seed}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}). Checks: "
        + ", ".join(f"`{c}`" for c in CHECKS) + ". A failure is one (operation, check, kind) "
        "seen in a role; the count is how many test cases showed it.",
        "",
        "Each role fuzzes a fresh copy of one seeded demo; the operations under `[[last]]` in "
        "`scripts/contract/allow.toml` run after all others in each role, those under `[[skip]]` "
        "never; failures its `[[allow]]` entries accept are listed at the end, not counted. "
        "Reproduce one role: `scripts/contract.sh --bin BIN --roles citizen --seconds 40 "
        f"--seed {seed}`; every request and answer is in `target/contract/ROLE/*.ndjson`.",
        "",
        "## Per role",
        "",
        *summary_table(results),
        "",
        "## Failures per role and check",
        "",
        *check_table(results),
        "",
        f"## openapi-spec-validator: {len(document_errors)} error(s)",
        "",
    ]
    lines += [f"- {e}" for e in document_errors] or ["The served document is valid."]
    lines += ["", "## Failures by operation and check", ""]
    by_operation: dict[str, list[Finding]] = {}
    for r in results:
        for f in r.failures():
            by_operation.setdefault(f.operation, []).append(f)
    if not by_operation:
        lines.append("None.")
    for operation in sorted(by_operation):
        lines += [f"### `{operation}`", ""]
        by_check: dict[tuple[str, str], list[Finding]] = {}
        for f in by_operation[operation]:
            by_check.setdefault((f.check, f.title), []).append(f)
        for (check, title), found in sorted(by_check.items()):
            roles = ", ".join(f"{f.role} ({f.count})" for f in found)
            lines += [f"- **{check}** — {title} — roles: {roles}", "", "  ```"]
            lines += ["  " + line for line in found[0].example.splitlines()]
            lines += ["  ```", ""]
    allowed = [f for r in results for f in r.allowed()]
    lines += ["## Allowed by scripts/contract/allow.toml", ""]
    lines += [f"- `{f.operation}` {f.check} ({f.role}, {f.count}): {f.allowed_by}"
              for f in sorted(allowed, key=lambda f: (f.operation, f.check, f.role))] or ["None."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get("PHONGDICH_BIN", "target/debug/phongdich"))
    parser.add_argument("--seconds", type=int,
                        default=int(os.environ.get("PHONGDICH_CONTRACT_SECONDS", "300")),
                        help="fuzzing budget shared by all roles (default 300)")
    parser.add_argument("--roles", help="comma-separated roles (default: all)")
    parser.add_argument("--seed", type=int,
                        default=int(os.environ.get("PHONGDICH_CONTRACT_SEED", "0")) or None)
    parser.add_argument("--workers", type=int, default=1,
                        help="schemathesis workers (default 1: on Python 3.11 more threads "
                        "generate fewer cases and hit a CPython AST race in hypothesis)")
    parser.add_argument("--notes", type=Path, help="also write the failures as Markdown here")
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "contract")
    args = parser.parse_args()

    binary = Path(args.bin).resolve()
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"no phongdich binary at {binary} (build it or pass --bin)")
    seed = args.seed or random.randrange(1, 2**31)
    allow = AllowList.load(HERE / "allow.toml")
    config = HERE / "phongdich.toml"
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    log(f"seeding the demo ({binary})")
    seeded = work / "seeded"
    server = Server(binary, seeded, config)
    try:
        document_errors = validate_document(server.url, work)
        roles = roles_of(server.demo_file())
    finally:
        server.stop()
    log(f"openapi-spec-validator: {len(document_errors)} error(s) in {SCHEMA_PATH}")
    for error in document_errors[:30]:
        print(f"   {error}")
    if args.roles:
        wanted = args.roles.split(",")
        unknown = set(wanted) - {r.name for r in roles}
        if unknown:
            raise SystemExit(f"unknown role(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(r.name for r in roles)}")
        roles = [r for r in roles if r.name in wanted]

    per_role = max(10, args.seconds // len(roles))
    log(f"fuzzing {len(roles)} roles, {per_role} s each, seed {seed}, "
        f"{len(allow.skip)} skipped and {len(allow.last)} last operations")
    results = []
    for role in roles:
        result = fuzz_role(role, binary, seeded, work, config, allow, per_role, seed,
                           args.workers)
        results.append(result)
        log(f"{role.name}: {len(result.tested)} operations tested, {result.cases} test cases, "
            f"{len(result.failures())} failures, {len(result.allowed())} allowed")

    print()
    for row in summary_table(results):
        print(row)
    print()
    failures = [f for r in results for f in r.failures()]
    for f in sorted(failures, key=lambda f: (f.operation, f.check, f.role)):
        print(f"FAIL {f.role}: {f.operation} — {f.check}: {f.title} ({f.count}x)")
    if args.notes:
        args.notes.write_text(notes(results, document_errors, binary, args.seconds, seed),
                              encoding="utf-8")
        log(f"failures written to {args.notes}")
    log(f"done in {time.monotonic() - started:.0f} s; details in {work}")
    total = len(failures) + len(document_errors)
    if total:
        log(f"FAILED: {len(document_errors)} document error(s), {len(failures)} failure(s) "
            "not in scripts/contract/allow.toml")
        return 1
    log("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
