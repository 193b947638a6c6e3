"""`selfeval serve`: the real server (uvicorn, started as `python -m validator serve`) on
a free local port, talked to over HTTP with httpx."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
REPORTS = SAMPLES / "reports"
WORKBOOK = REPORTS / "anshan-2024-transfer.xlsx"
REPORT = REPORTS / "anshan-2024-transfer-自评报告.docx"
CAP = 256 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp: Path, *extra: str):
        self.tmp = tmp / "uploads"
        self.tmp.mkdir()
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, TMPDIR=str(self.tmp), SELFEVAL_CACHE_DIR=str(tmp / "cache"))
        self.log = open(tmp / "server.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "validator", "serve", "--port", str(self.port), *extra],
                                     cwd=tmp, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=self.url, timeout=120)
        self._wait()

    def _wait(self) -> None:
        import time

        # Waiting for start-up is not a timing assertion: the loop ends when the server
        # answers or the process has exited.
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited: " + (self.tmp.parent / "server.log").read_text(errors="replace"))
            try:
                if self.client.get("/v1/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)

    def close(self) -> None:
        self.client.close()
        self.proc.terminate()
        self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("serve"), "--max-upload", f"{CAP // 1024}KiB")
    yield s
    s.close()


@pytest.fixture(scope="module")
def process_server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("serve-process"), "--executor", "process", "--processes", "1", "--lang", "en")
    yield s
    s.close()


def _files(*paths: Path, name: str | None = None) -> list:
    return [("file", (name or p.name, p.read_bytes())) for p in paths]


def _cli_json(tmp_path: Path, *paths: Path, options: tuple[str, ...] = ()) -> tuple[bytes, int]:
    """What `selfeval check --format json` prints for these files, run where they are
    named as uploaded."""
    work = tmp_path / "cli"
    work.mkdir(exist_ok=True)
    for p in paths:
        shutil.copy(p, work / p.name)
    done = subprocess.run([sys.executable, "-m", "validator", "check", *[p.name for p in paths], "--format", "json", *options],
                          cwd=work, capture_output=True, env=dict(os.environ, SELFEVAL_CACHE_DIR=str(tmp_path / "cache")))
    return done.stdout, done.returncode


def _openapi(server) -> dict:
    return server.client.get("/openapi.json").json()


def _error_schema(server) -> dict:
    return _openapi(server)["components"]["schemas"]["Error"]


def _assert_error(server, response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    jsonschema.validate(body, _error_schema(server))
    assert "\n" not in body["error"]
    for w in words:
        assert w in body["error"], body["error"]
    return body["error"]


def _findings(body: dict) -> list[tuple[str, str, str | None, str | None]]:
    return [(f["path"], x["rule"], x["location"].get("sheet"), x["location"].get("cell")) for f in body["files"] for x in f["findings"]]


def test_a_workbook_is_answered_with_the_json_check_prints(server, tmp_path):
    r = server.client.post("/v1/check", files=_files(WORKBOOK))
    assert r.status_code == 200
    body = r.json()
    assert ("anshan-2024-transfer.xlsx", "EX007", "自评表", "D8") in _findings(body)
    assert ("anshan-2024-transfer.xlsx", "SP005", "自评表", "F27") in _findings(body)
    jsonschema.validate(body, json.loads((ROOT / "validator/schemas/report.schema.json").read_text()))
    expected, code = _cli_json(tmp_path, WORKBOOK)
    assert r.content == expected
    assert r.headers["selfeval-exit-code"] == str(code) == "1"


def test_repeated_file_fields_are_one_submission(server, tmp_path):
    alone = server.client.post("/v1/check", files=_files(REPORT)).json()
    assert [x["rule"] for f in alone["files"] for x in f["findings"]] == ["RP011"]  # no table to compare with
    r = server.client.post("/v1/check", files=_files(REPORT, WORKBOOK))
    assert r.status_code == 200
    body = r.json()
    assert [f["path"] for f in body["files"]] == [REPORT.name, WORKBOOK.name]
    said = next(x for x in body["files"][0]["findings"] if x["rule"] == "RP008")
    assert said["location"]["paragraph"] == 39
    assert r.content == _cli_json(tmp_path, REPORT, WORKBOOK)[0]


def test_select_ignore_and_fail_on_as_query_or_form_fields(server):
    only_ex = server.client.post("/v1/check", params={"select": "EX"}, files=_files(WORKBOOK)).json()
    assert {x[1] for x in _findings(only_ex)} == {"EX004", "EX007"}
    form = server.client.post("/v1/check", data={"select": "EX,SP005", "ignore": "EX004"}, files=_files(WORKBOOK)).json()
    assert {x[1] for x in _findings(form)} == {"EX007", "SP005"}
    # With only warnings left, the exit code follows fail_on.
    warnings = server.client.post("/v1/check", params={"select": "EX007"}, files=_files(WORKBOOK))
    assert {x["severity"] for f in warnings.json()["files"] for x in f["findings"]} == {"warning"}
    assert warnings.headers["selfeval-exit-code"] == "0"
    strict = server.client.post("/v1/check", params={"select": "EX007", "fail_on": "warning"}, files=_files(WORKBOOK))
    assert strict.headers["selfeval-exit-code"] == "1"
    assert strict.content == warnings.content


def test_unknown_codes_and_packs_are_422_with_the_clis_did_you_mean(server):
    r = server.client.post("/v1/check", params={"select": "AR07"}, files=_files(WORKBOOK))
    _assert_error(server, r, 422, "select 中的“AR07”不是已知的规则编号", "是否应为 AR007")
    r = server.client.post("/v1/check", data={"ignore": "arithmetc"}, files=_files(WORKBOOK))
    _assert_error(server, r, 422, "ignore", "arithmetic")
    r = server.client.post("/v1/check", params={"pack": "standrd", "lang": "en"}, files=_files(WORKBOOK))
    _assert_error(server, r, 422, "no rule pack named 'standrd'", "did you mean 'standard'?")
    r = server.client.post("/v1/check", params={"fail_on": "never"}, files=_files(WORKBOOK))
    _assert_error(server, r, 422, "fail_on", "error、warning")
    r = server.client.post("/v1/check", params={"lang": "fr"}, files=_files(WORKBOOK))
    _assert_error(server, r, 422, "lang", "zh、en")


def test_a_pack_chosen_by_the_request(server):
    body = server.client.post("/v1/check", params={"pack": "standard"}, files=_files(WORKBOOK)).json()
    assert body["files"][0]["packs"] == ["standard"]
    assert "SP005" not in {x[1] for x in _findings(body)}  # safety-production's own rule


def test_english_messages(server):
    r = server.client.post("/v1/check", params={"select": "AR07", "lang": "en"}, files=_files(WORKBOOK))
    message = _assert_error(server, r, 422, "select: 'AR07' is not a known rule id", "did you mean AR007?")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in message)
    r = server.client.post("/v1/check", data={"lang": "en"}, files=[("file", ("bad.xlsx", b"not a workbook"))])
    message = _assert_error(server, r, 422, "bad.xlsx")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_an_unreadable_file_is_422_naming_it_as_uploaded(server):
    r = server.client.post("/v1/check", files=[("file", ("自评表.xlsx", b"PK\x03\x04 broken"))])
    message = _assert_error(server, r, 422, "自评表.xlsx")
    assert "selfeval-serve" not in message and str(server.tmp) not in message
    r = server.client.post("/v1/check", files=[("file", ("a.yaml", b"kind: [unclosed"))])
    _assert_error(server, r, 422, "a.yaml")


def test_an_unsupported_type_is_415(server):
    r = server.client.post("/v1/check", files=[("file", ("说明.doc", b"\xd0\xcf\x11\xe0"))])
    _assert_error(server, r, 415, "说明.doc", "旧版 Word", ".docx")
    r = server.client.post("/v1/check", params={"lang": "en"}, files=_files(WORKBOOK) + [("file", ("data.csv", b"a,b\n"))])
    _assert_error(server, r, 415, "data.csv", "CSV")
    r = server.client.post("/v1/check", content=WORKBOOK.read_bytes(), headers={"content-type": "application/octet-stream"})
    _assert_error(server, r, 415, "multipart/form-data")


def test_too_large_is_413_by_content_length(server):
    big = b"x" * (CAP + 1)
    r = server.client.post("/v1/check", files=[("file", ("big.yaml", big))])
    _assert_error(server, r, 413, "256 KiB")


def test_too_large_is_413_when_counted_while_streaming(server):
    # Chunked, without a Content-Length: the body is counted as it arrives.
    boundary = "selfevalboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.yaml\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()

    def body():
        yield head
        for _ in range(CAP // 4096 + 2):
            yield b"#" * 4096
        yield f"\r\n--{boundary}--\r\n".encode()

    r = server.client.post("/v1/check", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"},
                           params={"lang": "en"})
    assert "content-length" not in r.request.headers
    _assert_error(server, r, 413, "exceeds 256 KiB")


def test_malformed_multipart_is_400(server):
    r = server.client.post("/v1/check", content=b"--x\r\nnonsense", headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code in (400, 422), r.text
    jsonschema.validate(r.json(), _error_schema(server))


def test_no_file_and_text_in_the_file_field_are_422(server):
    _assert_error(server, server.client.post("/v1/check", data={"select": "AR"}, files=[("other", ("a.yaml", b"x"))]), 422, "file")
    _assert_error(server, server.client.post("/v1/check", data={"file": "a.yaml"}, files=[("other", ("b.yaml", b"x"))]), 422, "file")
    twice = _files(WORKBOOK) + _files(WORKBOOK)
    _assert_error(server, server.client.post("/v1/check", files=twice), 422, "两个文件同名", WORKBOOK.name)


def test_file_names_are_sanitised_and_uploads_removed(server):
    data = (SAMPLES / "anshan-2024-transfer-clean.yaml").read_bytes()
    r = server.client.post("/v1/check", files=[("file", ("../../../etc/自评表.yaml", data))])
    assert r.status_code == 200
    assert [f["path"] for f in r.json()["files"]] == ["自评表.yaml"]
    r = server.client.post("/v1/check", files=[("file", ("..\\..\\x\\a.yaml", data))])
    assert [f["path"] for f in r.json()["files"]] == ["a.yaml"]
    assert "selfeval-serve" not in r.text
    assert list(server.tmp.iterdir()) == []


def test_safe_name():
    from validator.service.app import safe_name

    assert safe_name("../../a.xlsx", 1) == "a.xlsx"
    assert safe_name("C:\\Users\\x\\表.xlsx", 1) == "表.xlsx"
    assert safe_name("..", 2) == "file2"
    assert safe_name(".xlsx", 3) == "file3.xlsx"
    assert safe_name("a\x00b\n.yaml", 1) == "ab.yaml"
    assert safe_name(None, 4) == "file4"
    long = safe_name("长" * 200 + ".xlsx", 1)
    assert long.endswith(".xlsx") and len(long.encode("utf-8")) <= 255


def test_rules_are_the_rules_list_json(server, tmp_path):
    r = server.client.get("/v1/rules")
    assert r.status_code == 200
    cli = subprocess.run([sys.executable, "-m", "validator", "rules", "list", "--format", "json"], cwd=tmp_path,
                         capture_output=True, check=True, env=dict(os.environ, SELFEVAL_CACHE_DIR=str(tmp_path / "cache")))
    assert r.json() == json.loads(cli.stdout)
    ar007 = next(x for x in r.json() if x["id"] == "AR007")
    assert ar007["category"] == "arithmetic" and ar007["title_en"]


def test_health_and_unknown_paths(server):
    health = server.client.get("/v1/health").json()
    assert health["status"] == "ok" and health["rules"] > 100 and health["executor"] == "thread"
    _assert_error(server, server.client.get("/v2/check", params={"lang": "en"}), 404, "no such endpoint")
    _assert_error(server, server.client.get("/v1/check"), 405)


def test_openapi_describes_what_the_server_does(server):
    doc = _openapi(server)
    assert doc["openapi"].startswith("3.1")
    ops = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert ops == {("/v1/check", "post"), ("/v1/rules", "get"), ("/v1/health", "get"), ("/openapi.json", "get")}
    check = doc["paths"]["/v1/check"]["post"]
    assert set(check["responses"]) == {"200", "400", "413", "415", "422", "500"}
    assert {p["name"] for p in check["parameters"]} == {"select", "ignore", "pack", "lang", "fail_on"}
    assert "file" in check["requestBody"]["content"]["multipart/form-data"]["schema"]["required"]
    # Every $ref resolves, and the documented schemas accept what the server sends.
    schemas = doc["components"]["schemas"]
    for ref in {m for m in json.dumps(doc).split('"') if m.startswith("#/components/schemas/")}:
        assert ref.rsplit("/", 1)[1] in schemas
    jsonschema.validate(server.client.get("/v1/rules").json(), {"type": "array", "items": schemas["Rule"]})
    health = doc["paths"]["/v1/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(server.client.get("/v1/health").json(), health)
    for method, path in ((m, p) for p, item in doc["paths"].items() for m in item):
        assert server.client.request(method.upper(), path).status_code != 404


def test_process_executor_answers_the_same(server, process_server):
    a = server.client.post("/v1/check", files=_files(REPORT, WORKBOOK))
    b = process_server.client.post("/v1/check", files=_files(REPORT, WORKBOOK))
    assert b.status_code == 200 and b.content == a.content
    assert b.headers["selfeval-exit-code"] == "1"
    assert process_server.client.get("/v1/health").json()["executor"] == "process"
    # The server's --lang is the default language of its messages.
    _assert_error(process_server, process_server.client.post("/v1/check", files=[("file", ("x.doc", b"x"))]), 415, "an old Word document")
    assert list(process_server.tmp.iterdir()) == []


def _run_cli(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "validator", *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("args, words", [
    (("--max-upload", "lots"), "--max-upload"),
    (("--pack", "standrd"), "standard"),
    (("--select", "AR07"), "AR007"),
    (("--workers", "0"), "--workers"),
    (("--limit", "depht=3"), "depth"),
])
def test_unusable_server_options_are_one_line_and_exit_2(args, words):
    done = _run_cli("serve", "--port", str(_free_port()), *args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and words in done.stderr and "Traceback" not in done.stderr


def test_a_taken_port_is_one_line_and_exit_2():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        done = _run_cli("serve", "--port", str(s.getsockname()[1]), "--lang", "en")
    assert done.returncode == 2
    assert done.stderr.startswith("selfeval: cannot listen on 127.0.0.1:") and done.stderr.count("\n") == 1


def test_without_the_serve_extra_it_says_how_to_install_it(tmp_path):
    # A site directory whose sitecustomize hides uvicorn, as if the extra were not installed.
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class _Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'uvicorn' or name.startswith('uvicorn.'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, _Hide())\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    done = _run_cli("serve", "--lang", "en", env=env)
    assert done.returncode == 2
    assert done.stderr == "selfeval: selfeval serve needs the HTTP service's dependencies (uvicorn is missing): pip install 'selfeval[serve]'\n"


def test_several_workers_answer_the_same(server, tmp_path):
    workers = Server(tmp_path, "--workers", "2")
    try:
        expected = server.client.post("/v1/check", files=_files(WORKBOOK)).content
        # Several requests, on new connections, so both workers are likely to answer some.
        for _ in range(4):
            with httpx.Client(base_url=workers.url, timeout=120) as fresh:
                r = fresh.post("/v1/check", files=_files(WORKBOOK))
            assert r.status_code == 200 and r.content == expected
        _assert_error(workers, workers.client.post("/v1/check", params={"select": "AR07"}, files=_files(WORKBOOK)), 422, "AR007")
    finally:
        workers.close()
    assert workers.proc.returncode is not None
