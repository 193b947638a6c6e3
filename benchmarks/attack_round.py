"""A round of hostile inputs against `selfeval check` (reports, workbooks, odd files and
names): each must end with exit 0/1/2, at most one line on stderr and no traceback, no raw
control character on stdout or stderr, within 60 s and 2 GiB of address space, and leave the
input unchanged. Prints one line per input and the count that kept every promise.

    python benchmarks/attack_round.py [OUTPUT_DIR]

The inputs are built from the bundled samples into OUTPUT_DIR (default: a temporary folder).
The same classes are pinned as tests in tests/corpus/, tests/test_hostile.py and tests/xlsx/test_hostile.py; this round
is for trying new ones."""
import hashlib, os, resource, subprocess, sys, tempfile, time, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="selfeval-attack-"))
OUT.mkdir(parents=True, exist_ok=True)
SAMPLE_X = ROOT / "samples/anshan-2024-transfer.xlsx"
SAMPLE_DOCX = next((ROOT / "samples/reports").glob("*.docx"))
SAMPLE_PDF = next((ROOT / "samples/reports").glob("*.pdf"))
cases = []

def case(name, data=None, args=(), make=None):
    """One input: bytes or text written as is, or made by `make(path)`."""
    p = OUT / name
    if make: make(p)
    elif data is not None: p.write_bytes(data if isinstance(data, bytes) else data.encode())
    cases.append((name, p, list(args)))

def rezip(src, dst, edit):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            new = edit(info.filename, data)
            if new is None: continue
            if isinstance(new, list):
                for n, d in new: zout.writestr(n, d)
            else:
                zout.writestr(info.filename, new)

ESC = "\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\u202e"
# 1-4 docx: entity bomb, XXE, zip bomb document.xml, ESC in paragraphs
bomb_xml = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {chr(98+i)} "{("&"+chr(97+i)+";")*10}">' for i in range(8)) + ']>')
case("entity-bomb.docx", make=lambda p: rezip(SAMPLE_DOCX, p, lambda n, d: (bomb_xml.encode() + d.split(b"?>", 1)[1]).replace(b"<w:t>", b"<w:t>&i;", 1) if n == "word/document.xml" else d))
case("xxe.docx", make=lambda p: rezip(SAMPLE_DOCX, p, lambda n, d: (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + d.split(b"?>", 1)[1]).replace(b"<w:t>", b"<w:t>&x;", 1) if n == "word/document.xml" else d))
case("zipbomb.docx", make=lambda p: rezip(SAMPLE_DOCX, p, lambda n, d: d.replace(b"</w:body>", b"<w:p><w:r><w:t>" + b"0" * 300_000_000 + b"</w:t></w:r></w:p></w:body>") if n == "word/document.xml" else d))
case("escapes.docx", make=lambda p: rezip(SAMPLE_DOCX, p, lambda n, d: d.replace(b"<w:t>", ("<w:t>" + ESC.replace("\x1b", "&#27;").replace("\x07", "&#7;")).encode(), 3) if n == "word/document.xml" else d))
case("no-document.docx", make=lambda p: rezip(SAMPLE_DOCX, p, lambda n, d: None if n == "word/document.xml" else d))
case("deep-xml.docx", make=lambda p: rezip(SAMPLE_DOCX, p, lambda n, d: d.replace(b"</w:body>", b"<w:p>" * 200000 + b"</w:p>" * 200000 + b"</w:body>") if n == "word/document.xml" else d))
# 7-10 pdf
pdf = SAMPLE_PDF.read_bytes()
case("truncated.pdf", pdf[: len(pdf) // 3])
case("garbage.pdf", b"%PDF-1.7\n" + os.urandom(200_000))
case("text-as.pdf", "这不是PDF\n" * 1000)
case("nested-objects.pdf", b"%PDF-1.4\n1 0 obj\n" + b"[" * 100000 + b"]" * 100000 + b"\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF")
# 11-16 xlsx
case("sheetname-escape.xlsx", make=lambda p: rezip(SAMPLE_X, p, lambda n, d: d.replace("自评表".encode(), "自评表&#27;[2J&#x202E;".encode()) if n in ("xl/workbook.xml",) else d))
case("format-10k-zeros.xlsx", make=lambda p: rezip(SAMPLE_X, p, lambda n, d: d.replace(b'formatCode="0.00"', b'formatCode="0.' + b"0" * 10000 + b'"') if n == "xl/styles.xml" else d))
case("dimension-huge.xlsx", make=lambda p: rezip(SAMPLE_X, p, lambda n, d: d.replace(b"<dimension ref=\"", b"<dimension ref=\"A1:XFD1048576\" x=\"") if n.startswith("xl/worksheets/") else d))
case("shared-strings-huge.xlsx", make=lambda p: rezip(SAMPLE_X, p, lambda n, d: d.replace(b"<t>", b"<t>" + "长".encode() * 2_000_000, 50) if n == "xl/sharedStrings.xml" else d))
case("date-serial-huge.xlsx", make=lambda p: rezip(SAMPLE_X, p, lambda n, d: d.replace(b"<v>", b"<v>9999999999999", 40) if n.startswith("xl/worksheets/") else d))
case("percent-tiny.xlsx", make=lambda p: rezip(SAMPLE_X, p, lambda n, d: d.replace(b"<v>", b"<v>1e-400", 60) if n.startswith("xl/worksheets/") else d))
# 17-22 text reports and yaml
case("long-line.md", "# 自评报告\n" + "资金执行率为95.14%，" * 500_000)
case("nul-bytes.txt", "自评报告\x00\x00" * 10000)
case("escapes.md", f"# 自评报告{ESC}\n\n预算执行率为 4.33%{ESC}。\n")
case("rtl-name\u202egpj.yaml", (ROOT / "samples/anshan-2024-transfer.yaml").read_text())
case("escape-\x1b[31mname.yaml", (ROOT / "samples/anshan-2024-transfer.yaml").read_text())
case("bidi-values.yaml", (ROOT / "samples/anshan-2024-transfer.yaml").read_text().replace("资金投入", "资金投入\u202e\u2066", 1))
case("ooxml-escapes.xlsx", make=lambda p: rezip(SAMPLE_X, p, lambda n, d: d.replace(b"<t>", b"<t>_x001B_]0;pwned_x0007__x001B_[2J_x202E_", 30) if n == "xl/sharedStrings.xml" else d))
case("ooxml-escapes-html.xlsx", make=lambda p: rezip(SAMPLE_X, p, lambda n, d: d.replace(b"<t>", b"<t>&lt;script&gt;alert(1)&lt;/script&gt;=HYPERLINK(\"http://x\")", 30) if n == "xl/sharedStrings.xml" else d))
# 23-25 odd files
case("fifo.yaml", make=lambda p: (p.unlink(missing_ok=True), os.mkfifo(p)))
case("dir.xlsx", make=lambda p: p.mkdir(exist_ok=True))
case("xls-garbage.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(50_000))

def digest(p):
    if p.is_file(): return hashlib.sha256(p.read_bytes()).hexdigest()
    return "special"

def limit():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

rows = []
for name, p, args in cases:
    before = digest(p)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "validator", "check", str(p), "--format", "rich", "--color", "never", *args],
                              capture_output=True, timeout=60, preexec_fn=limit, cwd=ROOT, stdin=subprocess.DEVNULL)
        dt = time.perf_counter() - t0
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        out = proc.stdout.decode("utf-8", "replace")
        ctrl = any(c in out + "\n".join(err) for c in ("\x1b", "\x07", "\u202e", "\x00"))
        ok = proc.returncode in (0, 1, 2) and len(err) <= 1 and not any("Traceback" in l for l in err) and not ctrl and digest(p) == before
        rows.append((name, proc.returncode, round(dt, 2), ok, (err[0][:110] if err else "")))
    except subprocess.TimeoutExpired:
        rows.append((name, "timeout", 60, False, ""))
for r in rows: print(*r, sep=" | ")
print(f"{sum(r[3] for r in rows)}/{len(rows)} kept every promise")
