"""A .zip of one unit's files is one submission: its members are checked together exactly as
the same files loose, every place is named as the member inside the archive, and an
archive that is hostile or broken is refused in one line."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from validator import Validator
from validator.limits import Limits
from validator.read.zipped import member_name

ANSHAN = SAMPLES / "reports" / "anshan-2024-transfer.xlsx"
ANSHAN_REPORT = SAMPLES / "reports" / "anshan-2024-transfer-自评报告.docx"
XINJIANG = SAMPLES / "xinjiang-2023-tailings.xlsx"
XINJIANG_REPORT = SAMPLES / "reports" / "xinjiang-2023-tailings-自评报告.md"


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    """Temporary folders of these tests go under tmp_path, so each test can see that
    none is left behind."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield scratch
    assert list(scratch.iterdir()) == [], "the temporary folder of an archive was left behind"


def make_zip(path: Path, members: dict[str, bytes | Path], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, content in members.items():
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)),
                       content.read_bytes() if isinstance(content, Path) else content, compress_type=method)
    return path


def facts(reports, rename: dict[str, str]) -> list[tuple]:
    """What a user reads off each report: its path and status, and every finding's rule,
    place (field path, sheet, cell, paragraph) and message, with the places of other
    documents it names; paths spelled as in `rename`."""
    def spell(text):
        for old, new in rename.items():
            text = text.replace(old, new) if isinstance(text, str) else text
        return text

    out = []
    for fr in reports:
        found = sorted(
            (f.rule, f.location.path, f.location.sheet, f.location.cell, f.location.paragraph, spell(f.location.origin),
             spell(f.message), spell(f.message_en), tuple((r.path, r.sheet, r.cell, spell(r.origin)) for r in f.related))
            for f in fr.findings)
        out.append((spell(fr.path), fr.status, fr.kind, spell(fr.error), found))
    return out


CASES = {
    "anshan workbook and its Word report": {ANSHAN.name: ANSHAN, ANSHAN_REPORT.name: ANSHAN_REPORT},
    "xinjiang workbook": {XINJIANG.name: XINJIANG},
    "xinjiang workbook and its report, in a folder": {f"新疆/{XINJIANG.name}": XINJIANG,
                                                      f"新疆/{XINJIANG_REPORT.name}": XINJIANG_REPORT},
}


@pytest.mark.parametrize("members", CASES.values(), ids=CASES.keys())
def test_a_zip_is_checked_exactly_as_its_files_loose(tmp_path, validator, members):
    archive = make_zip(tmp_path / "某县应急局.zip", members)
    loose_dir = tmp_path / "loose"
    loose = []
    for name in sorted(members):  # the archive's members are checked in name order
        target = loose_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(members[name], target)
        loose.append(target)
    zipped = validator.check_file(archive)
    expected = validator.check_file(loose)
    assert any(fr.findings for fr in expected)  # the comparison says something
    assert facts(zipped, {}) == facts(expected, {f"{loose_dir}/": f"{archive}/"})
    for fr in zipped:
        assert fr.path.startswith(f"{archive}/")
        assert "selfeval-zip" not in json.dumps([f.to_dict() for f in fr.findings], ensure_ascii=False)


def test_the_report_in_a_zip_pairs_with_its_table(tmp_path, validator):
    archive = make_zip(tmp_path / "鞍山.zip", {ANSHAN.name: ANSHAN, ANSHAN_REPORT.name: ANSHAN_REPORT})
    reports = {fr.path: fr for fr in validator.check_file(archive)}
    report = reports[f"{archive}/{ANSHAN_REPORT.name}"]
    rp008 = [f for f in report.findings if f.rule == "RP008"]
    assert rp008, [f.rule for f in report.findings]
    # The cells the report is compared with are named in the archive's workbook.
    assert {(r.origin, r.sheet, r.cell) for r in rp008[0].related} >= {(f"{archive}/{ANSHAN.name}", "自评表", "F23")}


def test_check_and_a_folder_walk_take_a_zip_as_one_submission(tmp_path, validator):
    folder = tmp_path / "报送"
    folder.mkdir()
    archive = make_zip(folder / "鞍山.zip", {ANSHAN.name: ANSHAN, ANSHAN_REPORT.name: ANSHAN_REPORT})
    # A loose report beside the archive is a submission of its own, never merged with it.
    shutil.copyfile(XINJIANG_REPORT, folder / "鞍山自评报告.md")
    paths = [fr.path for fr in validator.check(folder).files]
    assert paths[:2] == [f"{archive}/{ANSHAN_REPORT.name}", f"{archive}/{ANSHAN.name}"]
    assert paths[2:] == [str(folder / "鞍山自评报告.md")]
    assert [fr.path for fr in validator.check(archive).files] == paths[:2]


def test_unsupported_members_are_listed_and_lock_and_hidden_files_counted(tmp_path):
    archive = make_zip(tmp_path / "unit.zip", {
        XINJIANG.name: XINJIANG,
        "照片/现场.jpg": b"\xff\xd8\xff",
        "附件.doc": b"\xd0\xcf\x11\xe0",
        "旧包.zip": b"PK\x05\x06" + b"\0" * 18,
        "README.md": "# 说明\n\n本项目自评得分98分，评价等级为良。\n".encode(),
        "~$xinjiang-2023-tailings.xlsx": b"lock",
        "__MACOSX/._xinjiang-2023-tailings.xlsx": b"fork",
        ".DS_Store": b"x",
    })
    proc = run_cli("check", str(archive), "--format", "json", "--lang", "en")
    assert proc.returncode in (0, 1), proc.stderr
    out = json.loads(proc.stdout)
    files = {f["path"]: f for f in out["files"]}
    assert files[f"{archive}/{XINJIANG.name}#自评表"]["status"] == "checked"
    assert {p for p, f in files.items() if f["status"] == "not_checked"} == {
        f"{archive}/照片/现场.jpg", f"{archive}/附件.doc", f"{archive}/旧包.zip", f"{archive}/README.md"}
    assert "README" in files[f"{archive}/README.md"]["reason_en"]
    assert "an image (.jpg)" in files[f"{archive}/照片/现场.jpg"]["reason_en"]
    assert "save it as .docx" in files[f"{archive}/附件.doc"]["reason_en"]
    assert "archive inside the archive" in files[f"{archive}/旧包.zip"]["reason_en"]
    assert all(p.startswith(f"{archive}/{XINJIANG.name}#") for p, f in files.items() if f["status"] == "checked")
    assert out["summary"]["not_checked"] == 4
    assert out["summary"]["ignored"] == {"lock_files": 1, "hidden": 2}


def test_cli_json_exit_code_and_paths(tmp_path):
    archive = make_zip(tmp_path / "某县应急局.zip", {ANSHAN.name: ANSHAN, ANSHAN_REPORT.name: ANSHAN_REPORT})
    proc = run_cli("check", str(archive), "--format", "json")
    loose = run_cli("check", str(ANSHAN_REPORT), str(ANSHAN), "--format", "json")
    assert proc.returncode == loose.returncode == 1  # error findings (RP008 among them)
    out, want = json.loads(proc.stdout), json.loads(loose.stdout)
    assert [f["path"] for f in out["files"]] == [f"{archive}/{ANSHAN_REPORT.name}", f"{archive}/{ANSHAN.name}"]
    assert out["summary"] == want["summary"]
    found = {(f["rule"], f["location"].get("sheet"), f["location"].get("cell")) for fr in out["files"] for f in fr["findings"]}
    assert found == {(f["rule"], f["location"].get("sheet"), f["location"].get("cell")) for fr in want["files"] for f in fr["findings"]}
    assert "selfeval-zip" not in proc.stdout


# --- names ---------------------------------------------------------------------------------

def gbk_zip(path: Path, members: dict[str, Path]) -> Path:
    """A zip whose names are GBK bytes without the UTF-8 flag, as zip tools on Chinese
    Windows write them (zipfile itself writes UTF-8, so the names are patched in)."""
    stand_ins = {}
    for i, name in enumerate(members):
        raw = name.encode("gbk")
        stand_in = ("QWERTY"[i] * len(raw)).encode("ascii")
        assert len(stand_in) == len(raw)
        stand_ins[stand_in] = raw
    make_zip(path, {s.decode(): members[n] for s, n in zip(stand_ins, members)})
    data = path.read_bytes()
    for stand_in, raw in stand_ins.items():
        assert data.count(stand_in) == 2  # the local header and the central directory
        data = data.replace(stand_in, raw)
    path.write_bytes(data)
    with zipfile.ZipFile(path) as z:
        assert not any(i.flag_bits & 0x800 for i in z.infolist())
    return path


def test_gbk_names_are_read_as_chinese_and_the_report_still_pairs(tmp_path, validator):
    names = {"鞍山市应急局/2024年绩效自评表.xlsx": ANSHAN, "鞍山市应急局/2024年绩效自评报告.docx": ANSHAN_REPORT}
    archive = gbk_zip(tmp_path / "鞍山.zip", names)
    zipped = validator.check_file(archive)
    assert sorted(fr.path for fr in zipped) == sorted(f"{archive}/{n}" for n in names)
    loose_dir = tmp_path / "loose"
    loose = []
    for name in sorted(names):
        (loose_dir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(names[name], loose_dir / name)
        loose.append(loose_dir / name)
    assert facts(zipped, {}) == facts(validator.check_file(loose), {f"{loose_dir}/": f"{archive}/"})


def test_member_names_decoding():
    def info(raw: bytes, flag: int = 0) -> zipfile.ZipInfo:
        zi = zipfile.ZipInfo("x")
        zi.orig_filename = raw.decode("utf-8") if flag else raw.decode("cp437")
        zi.flag_bits = flag
        return zi

    assert member_name(info("自评表.xlsx".encode("gbk"))) == "自评表.xlsx"
    assert member_name(info("自评表.xlsx".encode("utf-8"))) == "自评表.xlsx"  # macOS: UTF-8 without the flag
    assert member_name(info("自评表.xlsx".encode("utf-8"), 0x800)) == "自评表.xlsx"
    assert member_name(info(b"report.docx")) == "report.docx"
    # cp437 text that is neither UTF-8 nor GB18030 stays as zipfile read it.
    assert member_name(info("café.xlsx".encode("cp437"))) == "café.xlsx"


# --- hostile and broken archives -------------------------------------------------------------

def refused(validator, archive: Path) -> tuple[str, str]:
    reports = validator.check_file(archive)
    assert [(fr.path, fr.status) for fr in reports] == [(str(archive), "unusable")]
    assert not reports[0].findings
    return reports[0].error, reports[0].error_en


@pytest.mark.parametrize("name", ["../evil.xlsx", "a/../../evil.xlsx", "/tmp/evil.xlsx", "C:/evil.xlsx",
                                  "..\\evil.xlsx", "C:\\Windows\\evil.xlsx"])
def test_names_outside_the_archive_refuse_it(tmp_path, validator, name):
    archive = make_zip(tmp_path / "bad.zip", {XINJIANG.name: XINJIANG, name: XINJIANG})
    zh, en = refused(validator, archive)
    assert "指向压缩包之外" in zh and "points outside the archive" in en and "evil.xlsx" in en
    assert not list(tmp_path.rglob("evil.xlsx")) and not Path("/tmp/evil.xlsx").exists()


def test_a_symbolic_link_member_refuses_the_archive(tmp_path, validator):
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(XINJIANG.name, XINJIANG.read_bytes())
        link = zipfile.ZipInfo("自评表.xlsx")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        z.writestr(link, "/etc/passwd")
    zh, en = refused(validator, archive)
    assert "符号链接" in zh and "symbolic link" in en and "自评表.xlsx" in en


def test_an_encrypted_member_refuses_the_archive(tmp_path, validator):
    archive = make_zip(tmp_path / "secret.zip", {XINJIANG_REPORT.name: XINJIANG_REPORT}, method=zipfile.ZIP_STORED)
    data = bytearray(archive.read_bytes())
    # zipfile cannot write encryption: set the flag the way an encrypting tool does, in
    # the local header and in the central directory.
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + flag_at] |= 0x1
    archive.write_bytes(bytes(data))
    zh, en = refused(validator, archive)
    assert "设有密码" in zh and "password-protected" in en


def test_zip_bombs_are_refused_before_inflating(tmp_path):
    bomb = make_zip(tmp_path / "bomb.zip", {"data.yaml": b"\n" * (8 * 2**20)})
    zh, en = refused(Validator(), bomb)
    assert "xlsx_ratio=100" in en and "data.yaml" in en
    archive = make_zip(tmp_path / "unit.zip", {XINJIANG.name: XINJIANG})
    zh, en = refused(Validator(limits=Limits(archive_uncompressed=10_000)), archive)
    assert "archive_uncompressed=10,000" in en and "--limit archive_uncompressed" in zh
    many = make_zip(tmp_path / "many.zip", {f"{i}.txt": b"x" for i in range(6)})
    zh, en = refused(Validator(limits=Limits(archive_members=5)), many)
    assert "6 members" in en and "archive_members=5" in en


def test_a_nested_archive_is_never_opened(tmp_path, validator):
    inner = make_zip(tmp_path / "inner.zip", {XINJIANG.name: XINJIANG})
    archive = make_zip(tmp_path / "outer.zip", {"inner.zip": inner, ANSHAN.name: ANSHAN})
    reports = validator.check_file(archive)
    assert [(fr.path, fr.status) for fr in reports] == [(f"{archive}/{ANSHAN.name}", "checked"),
                                                        (f"{archive}/inner.zip", "not_checked")]


def test_a_zip_with_nothing_to_check_is_unusable_and_lists_its_files(tmp_path, validator):
    archive = make_zip(tmp_path / "photos.zip", {"a.jpg": b"\xff\xd8", "b.png": b"\x89PNG"})
    reports = validator.check_file(archive)
    assert [(fr.path, fr.status) for fr in reports] == [
        (str(archive), "unusable"), (f"{archive}/a.jpg", "not_checked"), (f"{archive}/b.png", "not_checked")]
    assert "holds no file to check (2 file(s) not checked)" in reports[0].error_en


def test_a_workbook_renamed_to_zip_is_said_as_such(tmp_path, validator):
    renamed = tmp_path / "自评表.zip"
    shutil.copyfile(ANSHAN, renamed)
    zh, en = refused(validator, renamed)
    assert "rename it to .xlsx" in en


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_a_truncated_zip_is_one_line_and_exit_2(tmp_path, validator, cut):
    whole = make_zip(tmp_path / "whole.zip", {ANSHAN.name: ANSHAN, ANSHAN_REPORT.name: ANSHAN_REPORT})
    data = whole.read_bytes()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(data[: int(len(data) * cut)])
    zh, en = refused(validator, broken)
    assert "damaged or incomplete" in en
    proc = run_cli("check", str(broken), "--lang", "en")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "damaged or incomplete" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_damaged_member_is_refused_and_the_folder_removed(tmp_path, validator):
    archive = make_zip(tmp_path / "crc.zip", {"a.md": b"# report\n" * 200}, method=zipfile.ZIP_STORED)
    data = archive.read_bytes()
    archive.write_bytes(data.replace(b"# report", b"# rep0rt", 1))  # the CRC no longer matches
    zh, en = refused(validator, archive)
    assert "damaged or incomplete" in en and "a.md" in en


def test_the_folder_is_removed_when_checking_is_interrupted(tmp_path, validator, monkeypatch):
    archive = make_zip(tmp_path / "unit.zip", {XINJIANG.name: XINJIANG})
    seen = []

    def interrupted(self, path, sheets=None):
        seen.append(path)
        assert Path(path).is_file()
        raise KeyboardInterrupt

    monkeypatch.setattr(Validator, "_load", interrupted)
    with pytest.raises(KeyboardInterrupt):
        validator.check_file(archive)
    assert seen and not Path(seen[0]).exists()


def test_a_report_named_with_report_joins_the_zip(tmp_path, validator):
    archive = make_zip(tmp_path / "鞍山.zip", {ANSHAN.name: ANSHAN})
    together = validator.check(archive, reports=[ANSHAN_REPORT])
    loose = validator.check(ANSHAN, reports=[ANSHAN_REPORT])
    assert [fr.path for fr in together.files] == [f"{archive}/{ANSHAN.name}", str(ANSHAN_REPORT)]
    assert facts(together.files, {}) == facts(loose.files, {str(ANSHAN): f"{archive}/{ANSHAN.name}"})
    assert any(f.rule == "RP008" for fr in together.files for f in fr.findings)


def test_no_room_for_the_temporary_folder_is_that_archive_s_error(tmp_path, validator, monkeypatch):
    archive = make_zip(tmp_path / "unit.zip", {XINJIANG.name: XINJIANG})

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    reports = validator.check_file(archive)
    assert [(fr.path, fr.status) for fr in reports] == [(str(archive), "unusable")]
    assert "No space left on device" in reports[0].error_en
