"""No input can take down a batch or the terminal: escape sequences in cells and file
names are shown, never sent raw; Rich markup in a cell stays literal; odd keys, odd
paths and a folder tree a thousand deep end in findings or one line, never a traceback."""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

from conftest import SAMPLES, run_cli

# Each one makes a terminal do something rather than show something.
HOSTILE = {
    "clear": "\x1b[2J\x1b[H",
    "title": "\x1b]0;owned\x07",
    "hyperlink": "\x1b]8;;https://evil.invalid/\x1b\\点这里\x1b]8;;\x1b\\",
    "colour": "\x1b[31;1m",
    "c1": "\x9b31m\x9d0;owned\x9c",
    "bidi": "\u202e001\u202c \u2066x\u2069 \u202a\u202b\u202d",
    "cr": "覆盖\r",
}
MARKUP = "[bold red]不解释[/bold red]"
# What may be left once Rich's own colours are taken out: nothing that acts on a terminal.
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def assert_inert(text: str) -> None:
    rest = _SGR.sub("", text)
    bad = _ACTIVE.findall(rest.replace("\r\n", "\n"))
    assert not bad, f"raw control characters reached the terminal: {sorted(set(map(repr, bad)))}"


def hostile_submission(folder, file_name="hostile.json"):
    indicators = [
        {"level1": "产出指标", "level2": "数量指标", "name": f"{key}{payload}{MARKUP}", "target": "≥15个", "actual": "10个"}
        for key, payload in HOSTILE.items()
    ]
    doc = {
        "kind": "transfer",
        "name": "项目" + HOSTILE["title"],
        "indicators": indicators,
        # Matches nothing, so WV001 quotes its path.
        "waivers": [{"rule": "AR007", "path": "x" + HOSTILE["bidi"] + HOSTILE["title"], "reason": "原因" + HOSTILE["hyperlink"]}],
    }
    path = folder / file_name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("color", ["always", "never", "auto"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rich_report_never_sends_control_characters(tmp_path, color, lang):
    name = "报表" + HOSTILE["clear"] + HOSTILE["bidi"] + ".json"
    path = hostile_submission(tmp_path, name)
    proc = run_cli("check", str(path), "--color", color, "--lang", lang)
    assert proc.returncode == 1, proc.stderr
    assert_inert(proc.stdout)
    assert_inert(proc.stderr)
    # Shown, visibly: the escapes as text, the markup as written.
    assert "\\x1b[2J" in proc.stdout and "\\x1b]0;owned\\x07" in proc.stdout and "\\u202e" in proc.stdout
    assert "\\x9b31m" in proc.stdout and "\\x0d" in proc.stdout
    assert MARKUP in proc.stdout
    assert "报表\\x1b[2J" in proc.stdout, "the file name too"


def test_summary_and_quiet_views_are_inert_too(tmp_path):
    folder = tmp_path / ("目录" + HOSTILE["title"])
    folder.mkdir()
    hostile_submission(folder, "a" + HOSTILE["colour"] + ".json")
    for extra in ([], ["--jobs", "2"]):
        proc = run_cli("check", str(folder), "--color", "always", *extra)
        assert_inert(proc.stdout)
        assert_inert(proc.stderr)


# A file name cannot hold "/": the link's target is written without one.
@pytest.mark.parametrize("payload", [p.replace("/", "") for p in HOSTILE.values()] + ["a\nb", "two\nlines\nhere"])
def test_stderr_error_line_is_one_inert_line(tmp_path, payload):
    path = tmp_path / f"坏{payload}.yaml"
    path.write_bytes(b"kind: [transfer\n")
    proc = run_cli("check", str(path))
    assert proc.returncode == 2
    assert_inert(proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "YAML 格式错误" in lines[0], proc.stderr


def test_missing_path_with_escapes_is_one_inert_line():
    proc = run_cli("check", "no" + HOSTILE["title"] + "\nsuch.yaml")
    assert proc.returncode == 2
    assert_inert(proc.stderr)
    assert len(proc.stderr.splitlines()) == 1 and "不存在" in proc.stderr


def test_json_and_jsonl_are_inert_when_printed(tmp_path):
    path = hostile_submission(tmp_path)
    for fmt in ("json", "jsonl"):
        proc = run_cli("check", str(path), "--format", fmt)
        assert_inert(proc.stdout)
        text = proc.stdout if fmt == "json" else proc.stdout.splitlines()[0]
        doc = json.loads(text)
        names = [f["location"]["label"] for f in (doc["files"][0] if fmt == "json" else doc)["findings"] if f["location"].get("label")]
        assert any(HOSTILE["c1"] in n for n in names), "JSON carries the text exactly; only its bytes are escaped"


def test_html_escapes_markup_and_keeps_text(tmp_path):
    path = hostile_submission(tmp_path)
    proc = run_cli("check", str(path), "--format", "html")
    assert "<script" not in proc.stdout
    assert "[bold red]不解释[/bold red]" in proc.stdout


def test_convert_notices_are_inert(tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(SAMPLES / "anshan-2024-transfer.xlsx")
    book.create_sheet("备注" + "\u202e")  # a sheet with no table: a notice naming it
    src = tmp_path / "book.xlsx"
    book.save(src)
    proc = run_cli("convert", str(src))
    assert proc.returncode == 0
    assert "\\u202e" in proc.stderr
    assert_inert(proc.stderr)


# --- odd keys, odd paths -----------------------------------------------------------------

@pytest.mark.parametrize("key", ["1.5", "2024-01-01", "null", "true", "7"])
def test_non_text_top_level_key_is_a_schema_finding(tmp_path, key):
    path = tmp_path / "keys.yaml"
    path.write_text(f"{key}: x\nkind: transfer\n", encoding="utf-8")
    proc = run_cli("check", str(path), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    unknown = [f for f in findings if f["rule"] == "SC002"]
    assert unknown and unknown[0]["location"]["path"] == "(root)"
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr


def remove_chain(root, name: str) -> None:
    """Remove root/name/name/… without recursion (pytest's own clean-up recurses, and
    these trees are deeper than Python's recursion limit and than PATH_MAX)."""
    fds = [os.open(root, os.O_RDONLY)]
    while True:
        try:
            fds.append(os.open(name, os.O_RDONLY, dir_fd=fds[-1]))
        except FileNotFoundError:
            break
    while len(fds) > 1:
        fd = fds.pop()
        for entry in os.listdir(fd):
            os.unlink(entry, dir_fd=fd)
        os.close(fd)
        os.rmdir(name, dir_fd=fds[-1])
    os.close(fds[0])


@pytest.fixture
def chains():
    made: list[tuple[str, str]] = []
    yield made
    for root, name in made:
        remove_chain(root, name)


def test_a_thousand_nested_folders_are_walked(tmp_path, chains):
    root = tmp_path / "deep"
    path = str(root)
    os.mkdir(path)
    chains.append((path, "d"))
    for _ in range(1000):
        path = os.path.join(path, "d")
        os.mkdir(path)
    with open(os.path.join(path, "x.yaml"), "wb") as handle:
        handle.write((SAMPLES / "anshan-2024-transfer-clean.yaml").read_bytes())
    with open(os.path.join(path, "notes.doc"), "wb") as handle:
        handle.write(b"old word")
    proc = run_cli("check", str(root), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["path"].split("/").count("d"), r["status"]) for r in rows] == [(1000, "not_checked"), (1000, "checked")]


def test_a_folder_too_deep_for_the_system_is_reported_by_path(tmp_path, chains):
    # Past PATH_MAX a folder cannot even be listed: that path is reported, the rest checked.
    root = tmp_path / "deeper"
    os.mkdir(root)
    chains.append((str(root), "dd"))
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(2100):
            os.mkdir("dd", dir_fd=fd)
            nxt = os.open("dd", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
    finally:
        os.close(fd)
    (root / "ok.yaml").write_bytes((SAMPLES / "anshan-2024-transfer-clean.yaml").read_bytes())
    proc = run_cli("check", str(root), "--format", "json")
    assert proc.returncode == 2
    files = json.loads(proc.stdout)["files"]
    assert files[-1]["path"].endswith("ok.yaml") and files[-1]["status"] == "checked"
    unusable = [f for f in files if f["status"] == "unusable"]
    assert len(unusable) == 1 and "/dd/dd/" in unusable[0]["path"] and "路径过长" in unusable[0]["error"]
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_waiver_side_file_linking_to_a_system_file_is_refused(tmp_path):
    sub = tmp_path / "x.yaml"
    sub.write_bytes((SAMPLES / "anshan-2024-transfer-clean.yaml").read_bytes())
    (tmp_path / "x.waivers.yaml").symlink_to("/etc/passwd")
    for fmt in ("json", "rich"):
        proc = run_cli("check", str(sub), "--format", fmt)
        assert proc.returncode == 2
        assert "root:" not in proc.stdout + proc.stderr, "nothing of the linked file is shown"
        assert "指向自评表所在目录之外" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_waiver_side_file_linking_inside_the_folder_is_read(tmp_path):
    sub = tmp_path / "x.yaml"
    sub.write_bytes((SAMPLES / "anshan-2024-transfer-clean.yaml").read_bytes())
    (tmp_path / "shared.yaml").write_text("waivers:\n  - {rule: AR007, path: funds.total.rate, reason: 测试}\n", encoding="utf-8")
    (tmp_path / "x.waivers.yaml").symlink_to("shared.yaml")
    proc = run_cli("check", str(sub), "--format", "json")
    rules = [f["rule"] for f in json.loads(proc.stdout)["files"][0]["findings"]]
    assert "WV001" in rules  # read: it matched nothing, and says so


@pytest.mark.parametrize("command", ["check", "convert"])
def test_fifo_and_link_loop_say_what_they_are(tmp_path, command):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    for path, words in ((fifo, "命名管道"), (loop, "符号链接形成循环")):
        proc = run_cli(command, str(path))
        assert proc.returncode == 2 and words in proc.stderr and "不存在" not in proc.stderr, proc.stderr


def test_fifo_in_a_folder_is_listed_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")  # opening it would wait for a writer for ever
    (tmp_path / "ok.yaml").write_bytes((SAMPLES / "anshan-2024-transfer-clean.yaml").read_bytes())
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert proc.returncode == 0
    by_name = {os.path.basename(f["path"]): f for f in json.loads(proc.stdout)["files"]}
    assert by_name["pipe.yaml"]["status"] == "not_checked" and "命名管道" in by_name["pipe.yaml"]["reason"]


def test_workbook_out_of_memory_is_called_that(tmp_path, monkeypatch):

    from validator.errors import InputError
    from validator.read.xlsx import read_workbook

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("validator.read.xlsx._read", no_memory)
    with pytest.raises(InputError) as info:
        read_workbook(SAMPLES / "anshan-2024-transfer.xlsx")
    assert "内存不足" in info.value.message and "损坏" not in info.value.message
    assert "out of memory" in info.value.message_en


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_and_lang_work_before_and_after_the_command(tmp_path, where):
    from test_batch import HOOKED, _exploding_batch, _hooked

    pack, folder = _exploding_batch(tmp_path)
    opts = ["--debug", "--lang", "en"]
    args = ["check", str(folder / "c0003.yaml"), "--rules", str(pack)]
    proc = _hooked(opts + args if where == "before" else args + opts, HOOK_EXPLODE="1")
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert "Traceback" in err and "internal error" in err
    assert HOOKED.exists()


def test_rule_pack_text_is_inert_in_rules_commands(tmp_path):
    # Rule packs are untrusted too: a title or a fixture case name is shown, never run.
    pack = tmp_path / "pack"
    (pack / "fixtures").mkdir(parents=True)
    title = "标题" + HOSTILE["clear"] + MARKUP
    (pack / "r.yaml").write_text(json.dumps({"rules": [{
        "id": "ZZ001", "title": title, "title_en": "t" + HOSTILE["title"], "category": "form", "severity": "warning",
        "assert": "exists(kind)", "message": "m", "message_en": "m", "rationale": "r" + HOSTILE["bidi"]}]},
        ensure_ascii=False), encoding="utf-8")
    (pack / "fixtures" / "ZZ001.yaml").write_text(json.dumps({"rule": "ZZ001", "cases": [
        {"name": "用例" + HOSTILE["colour"], "expect": [{"path": "x" + HOSTILE["title"]}], "submission": {"kind": "transfer"}}]},
        ensure_ascii=False),
        encoding="utf-8")
    for args in (["rules", "list", "--rules", str(pack), "--pack", "pack"], ["rules", "show", "ZZ001", "--rules", str(pack)],
                 ["rules", "test", "pack", "--rules", str(pack)], ["rules", "list", "--rules", str(pack), "--format", "json"]):
        proc = run_cli(*args)
        assert_inert(proc.stdout)
        assert_inert(proc.stderr)
    listed = run_cli("rules", "list", "--rules", str(pack), "--pack", "pack").stdout
    assert "\\x1b[2J" in listed and MARKUP in listed
    tested = run_cli("rules", "test", "pack", "--rules", str(pack)).stdout
    assert "用例\\x1b[31;1m" in tested, "the failing case is named, visibly"
