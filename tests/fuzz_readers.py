"""Mutations of real files for fuzzing the readers: shared by the hypothesis test
(tests/test_fuzz.py, a fixed budget on every run) and the coverage-guided atheris run
(tests/fuzz_atheris.py, for as long as one likes).

The property: whatever the bytes, reading ends in what the file holds or an InputError,
never another exception, and the file is left as it was."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
CRASHES = ROOT / "tests" / "corpus" / "fuzz"

# seed files by suffix: what each reader is fuzzed from
SEEDS: dict[str, list[Path]] = {
    ".xlsx": sorted(SAMPLES.glob("*.xlsx")),
    ".xls": sorted(FIXTURES.glob("*.xls")),
    ".docx": [FIXTURES / "report.docx"],
    ".pdf": [FIXTURES / "report.pdf", FIXTURES / "scanned.pdf"],
    ".yaml": sorted(SAMPLES.glob("*.yaml"))[:3],
    ".json": [],  # made from a YAML sample in seed_bytes
    ".md": [],
}

# Tokens a mutation may insert: the syntax of each format, and values that have broken
# readers before (huge numbers, bad references, entities).
TOKENS: dict[str, list[bytes]] = {
    "xml": [b"<", b">", b"/>", b'"', b"&amp;", b"&bogus;", b"&#0;", b"&#x110000;", b"<![CDATA[x]]>", b"<!-- -->",
            b'<c r="A1"><v>1e999999</v></c>', b'<c r="ZZZZ1" t="s"><v>99</v></c>', b"<v>" + b"9" * 5000 + b"</v>",
            b'<row r="0">', b'<row r="-5"/>', b'<row r="1.5"/>', b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCell ref="B2:A1"/>',
            b'<c r="A1" t="n"><v>abc</v></c>', b'<c r="B2" t="e"><v>#DIV/0!</v></c>', b'<c r="A1" t="d"><v>2024-13-45</v></c>',
            b'<c r="A1" t="b"><v>x</v></c>', b'<c r="A1" s="99999"><v>1</v></c>', b"<f>1/0</f>", b"<is><t>x</t></is>",
            b'<numFmt numFmtId="164" formatCode="0.0000000000000000000000000000000000000000%"/>', b'<xf numFmtId="abc"/>',
            b'<w:tc><w:tcPr><w:gridSpan w:val="99999"/><w:vMerge/></w:tcPr></w:tc>', b'<w:gridBefore w:val="-3"/>',
            b'<w:outlineLvl w:val="x"/>', b'<w:numPr><w:ilvl w:val="-1"/></w:numPr>', b"<w:tbl><w:tr>", b"<w:sdt><w:sdtContent>"],
    "pdf": [b"obj", b"endobj", b"stream", b"endstream", b"<<", b">>", b"[", b"]", b"/Length 99999999", b"/Filter /FlateDecode",
            b"/Filter /LZWDecode", b"/Count -1", b"/Count 99999999", b"/Kids [1 0 R]", b" 0 R", b"xref", b"trailer", b"%%EOF",
            b"/Encrypt << /Filter /Standard /V 1 >>", b"(", b")", b"\\", b"BT /F1 12 Tf (x) Tj ET", b"/Type /Page"],
    "text": [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\n\n", b"#", b"```", b"&a [*a]", b"!!python/object:os.system",
             b"9" * 400, b"1e999999", b"{", b"[", b":", b"- ", b"\t", "，。".encode(), "\u2028".encode()],
    "bin": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x2f\x00\x06\x00\x01\x00\x01\x00\x01\x00", b"\xe5\x00\x0a\x00\x01\x00\x00\x00\xff\xff\x00\x00\xff\x00",
            b"\x00\x00\x00\x00", b"\xff\xff\xff\xff", b"PK\x03\x04", b"%PDF-1.4"],
}


def seed_bytes(suffix: str) -> list[bytes]:
    import json

    import yaml

    if suffix == ".json":
        data = yaml.safe_load((SAMPLES / "anshan-2024-transfer.yaml").read_text("utf-8"))
        return [json.dumps(data, ensure_ascii=False, default=str).encode()]
    if suffix == ".md":
        return ["# 绩效自评报告\n\n## 一、目标\n正文\n\n```\n# x\n```\n".encode()]
    return [p.read_bytes() for p in SEEDS[suffix]]


def token_kind(suffix: str) -> str:
    return {".xlsx": "xml", ".docx": "xml", ".pdf": "pdf", ".xls": "bin"}.get(suffix, "text")


def mutate_bytes(data: bytes, choose, suffix: str) -> bytes:
    """One mutation of a file's bytes. `choose(kind, *args)` draws the random choices:
    ("int", lo, hi) → an int in [lo, hi]; ("pick", seq) → an element."""
    how = choose("pick", ["flip", "insert", "delete", "truncate", "duplicate", "token"])
    if not data:
        return choose("pick", TOKENS[token_kind(suffix)])
    at = choose("int", 0, len(data))
    if how == "flip":
        i = min(at, len(data) - 1)
        return data[:i] + bytes([data[i] ^ choose("int", 1, 255)]) + data[i + 1:]
    if how == "insert":
        return data[:at] + bytes(choose("int", 0, 255) for _ in range(choose("int", 1, 8))) + data[at:]
    if how == "delete":
        return data[:at] + data[at + choose("int", 1, 64):]
    if how == "truncate":
        return data[:at]
    if how == "duplicate":
        return data[:at] + data[at:at + choose("int", 1, 256)] * choose("int", 2, 4) + data[at:]
    return data[:at] + choose("pick", TOKENS[token_kind(suffix)]) + data[at:]


def mutate_zip(data: bytes, choose, suffix: str) -> bytes:
    """A mutation of one member of a zip package (its XML), or of the package's bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            members = [(info, src.read(info.filename)) for info in src.infolist()]
    except Exception:  # noqa: BLE001 — an earlier round broke the zip itself: mutate its bytes
        return mutate_bytes(data, choose, suffix)
    if not members or choose("int", 0, 9) == 0:
        return mutate_bytes(data, choose, suffix)
    index = choose("int", 0, len(members) - 1)
    how = choose("pick", ["member", "member", "member", "drop", "rename"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for i, (info, body) in enumerate(members):
            name = info.filename
            if i == index:
                if how == "drop":
                    continue
                if how == "rename":
                    name = name + "x"
                else:
                    body = mutate_bytes(body, choose, ".xlsx")
            dst.writestr(name, body)
    return out.getvalue()


def mutate(data: bytes, choose, suffix: str, rounds: int) -> bytes:
    for _ in range(rounds):
        data = (mutate_zip if suffix in (".xlsx", ".docx") else mutate_bytes)(data, choose, suffix)
    return data


def read_or_refuse(path: Path) -> None:
    """The property: a document or an InputError, nothing else; and the file unchanged."""
    from validator.errors import InputError
    from validator.limits import Limits
    from validator.read import MappingFile, TextDocument, Workbook, read_file

    before = path.read_bytes()
    # limits well below the defaults keep a hostile mutation from costing seconds
    limits = Limits(cells=200_000, text_chars=500_000, pdf_pages=50, xlsx_uncompressed=32 * 2**20)
    try:
        try:
            result = read_file(path, limits)
        except InputError as exc:
            assert "\n" not in exc.message and "\n" not in exc.message_en, exc.message
        else:
            assert isinstance(result, (MappingFile, Workbook, TextDocument))
        assert path.read_bytes() == before, "the input was modified"
    except BaseException:
        keep(before, path.suffix)
        raise


def keep(data: bytes, suffix: str) -> None:
    """With SELFEVAL_FUZZ_SAVE=1, an input that broke the property is written to
    tests/corpus/fuzz/new<suffix>: hypothesis replays its smallest failing example last,
    so that is the one left there. Rename it, and it is a regression test from then on."""
    import os

    if os.environ.get("SELFEVAL_FUZZ_SAVE") == "1":
        CRASHES.mkdir(parents=True, exist_ok=True)
        (CRASHES / f"new{suffix}").write_bytes(data)
