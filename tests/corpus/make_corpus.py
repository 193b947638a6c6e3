"""Writes the malformed inputs of tests/corpus/ (run from anywhere: python tests/corpus/make_corpus.py).

The files are committed; this script says how each was made, so a case can be changed
or added reproducibly. manifest.yaml gives each file's expected exit code and message."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE_XLSX = HERE.parents[1] / "samples" / "anshan-2024-transfer.xlsx"

MINIMAL = (
    "kind: transfer\n"
    "funds:\n"
    "  total: {label: 年度资金总额, budget: 157}\n"
    "  sources: [{label: 中央补助, source: central, budget: 90}]\n"
)


def text_cases() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    laughs = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    laughs += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    out["billion-laughs.yaml"] = ("\n".join(laughs) + "\nkind: transfer\nnotes: *a8\n").encode()
    merge = ["base: &m0 {k0: 1, k1: 2, k2: 3}"]
    merge += [f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 4) + "]}" for i in range(1, 16)]
    out["merge-bomb.yaml"] = ("kind: transfer\nx-merge:\n" +
                              "\n".join("  " + m for m in merge) + "\n").encode()
    out["recursive-alias.yaml"] = b"kind: transfer\nnotes: &loop [*loop]\n"
    out["deep-flow.yaml"] = ("kind: transfer\nnotes: " + "[" * 100_000 + "]" * 100_000 + "\n").encode()
    out["deep-block.yaml"] = ("kind: transfer\nnotes:\n  " + "- " * 5_000 + "x\n").encode()
    out["deep-65.yaml"] = ("kind: transfer\nnotes: " + "[" * 65 + "]" * 65 + "\n").encode()
    out["deep.json"] = ('{"kind": "transfer", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}").encode()
    out["huge-integer.yaml"] = (MINIMAL.replace("budget: 157", "budget: " + "9" * 100_000)).encode()
    out["huge-integer.json"] = json.dumps({"kind": "transfer", "funds": {"total": {"label": "年度资金总额", "budget": 0}}},
                                          ensure_ascii=False).replace('"budget": 0', '"budget": ' + "7" * 100_000).encode()
    out["huge-integer-text.yaml"] = (MINIMAL.replace("budget: 157", "budget: '" + "8" * 5_000 + "万元'")).encode()
    out["exponent-400.json"] = ('{"kind": "transfer", "funds": {"total": {"label": "年度资金总额", "budget": 1e400, '
                                '"executed": 1e-400}, "sources": [{"label": "中央补助", "source": "central", "budget": 90}]}}').encode()
    out["decimal-overflow.json"] = ('{"kind": "transfer", "funds": {"total": {"label": "年度资金总额", "budget": 1e999999}, '
                                    '"sources": [{"label": "中央补助", "source": "central", "budget": 1e999999}]}}').encode()
    out["exponent-beyond-decimal.json"] = ('{"kind": "transfer", "funds": {"total": {"label": "年度资金总额", '
                                           '"budget": 1e99999999999999999999999}}}').encode()
    out["exponent-400.yaml"] = MINIMAL.replace("budget: 157", "budget: 1.0e+400").encode()
    out["long-hex.yaml"] = ("kind: transfer\nyear: 0x" + "f" * 200 + "\n").encode()
    out["long-sexagesimal.yaml"] = ("kind: transfer\nyear: 1" + ":30" * 100 + "\n").encode()
    out["python-object.yaml"] = b'!!python/object/apply:os.system ["echo pwned"]\n'
    out["python-name.yaml"] = b"kind: transfer\nnotes: !!python/name:os.system\n"
    out["unknown-tag.yaml"] = b"kind: transfer\nnotes: !include /etc/passwd\n"
    out["binary-tag.yaml"] = MINIMAL.encode() + b"notes: !!binary aGVsbG8=\n"
    out["set-tag.yaml"] = MINIMAL.encode() + b"notes: !!set {a, b}\n"
    out["bad-date.yaml"] = MINIMAL.encode() + "waivers:\n  - {rule: AR002, path: funds.total.budget, reason: 按财政局口径, expires: 2024-13-45}\n".encode()
    out["two-documents.yaml"] = MINIMAL.encode() + b"---\n" + MINIMAL.encode()
    out["utf16-no-bom.yaml"] = MINIMAL.encode("utf-16-le")
    out["utf16-bad.yaml"] = b"\xff\xfe" + MINIMAL.encode("utf-16-le")[:-1]
    out["not-text.yaml"] = bytes(range(128, 256)) * 8
    out["gbk.yaml"] = MINIMAL.encode("gbk")
    out["gb18030.yaml"] = (MINIMAL + "notes: 𠀀 扩展汉字\n").encode("gb18030")
    out["utf8-bom.json"] = b"\xef\xbb\xbf" + json.dumps(
        {"kind": "transfer", "funds": {"total": {"label": "年度资金总额", "budget": 157}}}, ensure_ascii=False).encode()
    out["nan.json"] = '{"kind": "transfer", "funds": {"total": {"label": "年度资金总额", "budget": NaN}}}'.encode()
    out["truncated.json"] = b'{"kind": "transfer", "funds": {"total": '
    out["empty.json"] = b""
    out["list.yaml"] = b"- kind: transfer\n"
    out["scalar.json"] = b'"kind: transfer"'
    out["waivers-not-list.yaml"] = MINIMAL.encode() + b"waivers: 5\n"
    out["side-waivers.yaml"] = MINIMAL.encode()
    out["side-waivers.waivers.yaml"] = b"waivers: 5\n"
    out["side-laughs.yaml"] = MINIMAL.encode()
    out["side-laughs.waivers.yaml"] = out["billion-laughs.yaml"].replace(b"kind: transfer\nnotes: *a8", b"waivers: *a8")
    out["many-indicators.yaml"] = (MINIMAL + "indicators:\n" + "".join(
        f"  - {{level1: 产出指标, level2: 数量指标, name: 指标{i}, target: '≥1个', actual: 1个}}\n" for i in range(6))).encode()
    out["many-fund-rows.yaml"] = ("kind: transfer\nfunds:\n  total: {label: 合计, budget: 4}\n  sources:\n" + "".join(
        f"    - {{label: 来源{i}, source: other, budget: 1}}\n" for i in range(4))).encode()
    out["big.yaml"] = (MINIMAL + "notes: " + "说明" * 1000 + "\n").encode()
    return out


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            # A fixed date: the same script writes the same bytes.
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buf.getvalue()


def _sample_members() -> dict[str, bytes]:
    with zipfile.ZipFile(SAMPLE_XLSX) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def workbook_cases() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    sample = SAMPLE_XLSX.read_bytes()
    out["truncated.xlsx"] = sample[: len(sample) // 2]
    out["renamed-text.xlsx"] = MINIMAL.encode()
    out["empty.xlsx"] = b""
    out["old-excel.xlsx"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    members = _sample_members()
    bomb = dict(members)
    bomb["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"] + b" " * (8 * 1024 * 1024)
    out["zip-bomb.xlsx"] = _zip(bomb)
    ents = '<!ENTITY l0 "lololololol">' + "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    xml = dict(members)
    xml["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{ents}]>').encode() + members[
        "xl/worksheets/sheet1.xml"].replace(b"</sheetData>", b'<row r="99"><c r="A99" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData>', 1)
    out["xml-bomb.xlsx"] = _zip(xml)
    many = dict(members)
    book = members["xl/workbook.xml"]
    extra = b"".join(b'<sheet name="S%d" sheetId="%d" r:id="rId1" />' % (i, i + 10) for i in range(150))
    many["xl/workbook.xml"] = book.replace(b"</sheets>", extra + b"</sheets>", 1)
    out["many-sheets.xlsx"] = _zip(many)
    broken = dict(members)
    broken["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:500]
    out["broken-xml.xlsx"] = _zip(broken)
    no_book = {k: v for k, v in members.items() if k != "xl/workbook.xml"}
    out["no-workbook.xlsx"] = _zip(no_book)
    digits = dict(members)
    digits["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'<row r="99"><c r="A99"><v>' + b"9" * 5000 + b"</v></c></row></sheetData>", 1)
    out["long-number.xlsx"] = _zip(digits)
    sheet = members["xl/worksheets/sheet1.xml"]
    whole = dict(members)
    whole["xl/worksheets/sheet1.xml"] = sheet.replace(b"</mergeCells>", b'<mergeCell ref="A1:XFD1048576"/></mergeCells>', 1)
    out["merge-bomb.xlsx"] = _zip(whole)
    # 3,000 overlapping 20×20 merges below the table: 1.2 million cells, under the limit
    overlap = dict(members)
    refs = b"".join(b'<mergeCell ref="%s%d:%s%d"/>' % (_col(1 + i % 50), 100 + i % 200, _col(20 + i % 50), 119 + i % 200)
                    for i in range(3_000))
    overlap["xl/worksheets/sheet1.xml"] = sheet.replace(b"</mergeCells>", refs + b"</mergeCells>", 1)
    out["many-merges.xlsx"] = _zip(overlap)
    huge = dict(members)
    huge["xl/worksheets/sheet1.xml"] = re.sub(rb'(<c r="C8"[^>]*>)<v>157</v>', rb"\g<1><v>1e999999</v>", sheet, count=1)
    out["huge-number.xlsx"] = _zip(huge)
    return out


def _col(n: int) -> bytes:
    letters = b""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = bytes([65 + rem]) + letters
    return letters


PACK_RULE = """rules:
  - id: ZZ001
    title: t
    category: form
    severity: error
    assert: {expr}
    message: m
    message_en: m
    rationale: r
"""


def pack_cases() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    # Patterns that backtrack catastrophically in Python's re run on RE2 in linear time:
    # the pack loads and its rule fires on the sample's name.
    out["packs/catastrophic-regex/r.yaml"] = PACK_RULE.format(expr="not matches(name, '(a+)+b|(\\w|\\d)+$|.')").encode()
    out["packs/overlapping-regex/r.yaml"] = PACK_RULE.format(expr="not matches(name, '.*a.*b|.')").encode()
    out["packs/lookaround/r.yaml"] = PACK_RULE.format(expr="not matches(notes, '(?<=a)b')").encode()
    out["packs/backreference/r.yaml"] = PACK_RULE.format(expr="not matches(notes, '(ab)\\\\1')").encode()
    out["packs/long-pattern/r.yaml"] = PACK_RULE.format(expr="not matches(notes, '" + "ab" * 300 + "')").encode()
    out["packs/long-expression/r.yaml"] = PACK_RULE.format(expr="len(notes) > 0" + " or len(notes) > 0" * 130).encode()
    out["packs/deep-expression/r.yaml"] = PACK_RULE.format(expr="not " * 60 + "blank(notes)").encode()
    out["packs/deep-parentheses/r.yaml"] = PACK_RULE.format(expr="len(" * 55 + "notes" + ")" * 55 + " > 0").encode()
    out["packs/python-tag/r.yaml"] = b"rules: !!python/object/apply:os.system ['echo pwned']\n"
    laughs = text_cases()["billion-laughs.yaml"].replace(b"kind: transfer\nnotes: *a8", b"rules: *a8")
    out["packs/billion-laughs/r.yaml"] = laughs
    out["packs/import-attempt/r.yaml"] = PACK_RULE.format(expr="__import__('os').system('echo pwned') == 0").encode()
    return out


def main() -> None:
    for name, data in {**text_cases(), **workbook_cases(), **pack_cases()}.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(text_cases()) + len(workbook_cases()) + len(pack_cases())} files to {HERE}")


if __name__ == "__main__":
    main()
