"""`selfeval serve`: the HTTP service (validator/service/) on uvicorn."""

from __future__ import annotations

import os

from validator.cli.common import UsageError, add_limit_option, add_rule_options, say, split_list

# Each worker process compiles the rules and holds them; more than this is a typo.
MAX_WORKERS = 64


def add_parser(sub, lang: str) -> None:
    p = sub.add_parser("serve", help=say(lang, "以 HTTP 服务提供检查（需安装 selfeval[serve]）", "serve checks over HTTP (needs selfeval[serve])"),
                       description=say(lang, "以 HTTP 服务提供检查：POST /v1/check 上传文件，返回与 check --format json 相同的 JSON",
                                       "serve checks over HTTP: POST /v1/check with the files, answered with the JSON of check --format json"))
    p.add_argument("--host", default="127.0.0.1", help=say(lang, "监听地址（默认 127.0.0.1）", "address to listen on (default 127.0.0.1)"))
    p.add_argument("--port", type=int, default=8000, help=say(lang, "端口（默认 8000）", "port (default 8000)"))
    p.add_argument("--workers", type=int, default=1, metavar="W",
                   help=say(lang, "uvicorn 工作进程数（默认 1），每个进程各自编译规则", "uvicorn worker processes (default 1), each compiling the rules"))
    p.add_argument("--executor", choices=("thread", "process"), default=None,
                   help=say(lang, "检查在哪里运行：thread（工作进程内的线程）或 process（每个工作进程另有检查进程池）；默认 thread",
                            "where checks run: thread (threads of the worker) or process (a pool of check processes per worker); default thread"))
    p.add_argument("--processes", type=int, default=0, metavar="N",
                   help=say(lang, "--executor process 时每个工作进程的检查进程数（默认 0：CPU 核数）",
                            "check processes per worker with --executor process (default 0: one per CPU core)"))
    p.add_argument("--max-upload", metavar="SIZE", default=None,
                   help=say(lang, "一次请求上传内容的上限，如 50MiB（默认为单个文件大小限制中最大的一个）",
                            "cap on one request's upload, e.g. 50MiB (default: the largest single-file size limit)"))
    add_rule_options(p, lang)
    p.add_argument("--select", action="append", metavar="IDS", help=say(lang, "默认只运行这些规则（请求可另行指定）", "rules run by default (a request may choose others)"))
    p.add_argument("--ignore", action="append", metavar="IDS", help=say(lang, "默认不运行这些规则（请求可另行指定）", "rules skipped by default (a request may choose others)"))
    p.add_argument("--fail-on", choices=("error", "warning"), default=None,
                   help=say(lang, "默认什么级别的发现算作不通过（见响应头 Selfeval-Exit-Code）", "default level that fails a check (see the Selfeval-Exit-Code header)"))
    p.add_argument("--config", metavar="FILE", help=say(lang, "配置文件（selfeval.toml 或含 [tool.selfeval] 的 pyproject.toml）",
                                                       "settings file (selfeval.toml, or pyproject.toml with [tool.selfeval])"))
    add_limit_option(p, lang)


def _missing_dependency() -> str | None:
    import importlib

    for module in ("starlette", "uvicorn", "multipart"):
        try:
            importlib.import_module(module)
        except ImportError:
            return module
    return None


def settings_from_args(args):
    """The command line over the settings file; raises UsageError for anything unusable."""
    from validator import limits
    from validator.cli.config import resolve
    from validator.service.settings import Settings

    config = resolve(args.config, None)
    if not getattr(args, "lang_given", True) and config.lang:
        args.lang = config.lang
    if not 0 < args.port < 65536:
        raise UsageError(f"--port 应在 1 到 65535 之间：{args.port}", f"--port must be between 1 and 65535: {args.port}")
    if not 0 < args.workers <= MAX_WORKERS:
        raise UsageError(f"--workers 应在 1 到 {MAX_WORKERS} 之间：{args.workers}", f"--workers must be between 1 and {MAX_WORKERS}: {args.workers}")
    if not 0 <= args.processes <= MAX_WORKERS:
        raise UsageError(f"--processes 应在 0 到 {MAX_WORKERS} 之间：{args.processes}", f"--processes must be between 0 and {MAX_WORKERS}: {args.processes}")
    specs = list(config.limits) + list(args.limit or [])
    try:
        limits.from_specs(specs)
    except limits.LimitSpecError as exc:
        raise UsageError(exc.message, exc.message_en) from None
    cap = None
    if args.max_upload is not None:
        try:
            cap = limits.parse_value("file_size", args.max_upload)
        except limits.LimitSpecError:
            raise UsageError(f"--max-upload 的值“{args.max_upload}”不是正整数（可带 KiB、MiB、GiB）",
                             f"--max-upload: '{args.max_upload}' is not a positive integer (KiB, MiB or GiB may follow)") from None
    return Settings(
        rules=tuple(args.rules or config.rules), packs=tuple(args.pack or config.packs),
        select=tuple(split_list(args.select) if args.select else config.select),
        ignore=tuple(split_list(args.ignore) if args.ignore else config.ignore),
        fail_on=args.fail_on or config.fail_on or "error", lang=args.lang, limits=tuple(specs), max_upload=cap,
        executor=args.executor or "thread", processes=args.processes,
    )


def run(args) -> int:
    missing = _missing_dependency()
    if missing is not None:
        raise UsageError(f"selfeval serve 需要 HTTP 服务的依赖（缺少 {missing}）：pip install 'selfeval[serve]'",
                         f"selfeval serve needs the HTTP service's dependencies ({missing} is missing): pip install 'selfeval[serve]'")
    import uvicorn

    from validator.service.app import create_app
    from validator.service.checker import Checker
    from validator.service.settings import ENV

    settings = settings_from_args(args)
    # Compiled here first, so broken packs or unknown codes end in one line before the
    # port is taken; with one worker this is the Validator every request shares.
    checker = Checker(settings)
    _check_address(args.host, args.port)
    if args.workers == 1:
        uvicorn.run(create_app(settings, checker), host=args.host, port=args.port, log_level="info")
    else:
        os.environ[ENV] = settings.to_env()
        _run_workers(args.host, args.port, args.workers)
    return 0


def _run_workers(host: str, port: int, workers: int) -> None:
    """uvicorn's supervisor over a listening socket made here. uvicorn's own binds it
    without IPPROTO_TCP, so asyncio never sets TCP_NODELAY on the connections it accepts
    and every keep-alive request after the first waits ~40 ms for a delayed ACK (measured
    with benchmarks/serve.py: 72 ms instead of 20 ms at one client)."""
    import inspect
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("validator.service.app:app_from_environment", factory=True, host=host, port=port,
                            workers=workers, log_level="info")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    try:
        if "target" in inspect.signature(Multiprocess).parameters:  # uvicorn before 0.36
            Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock]).run()
        else:
            Multiprocess(config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def _check_address(host: str, port: int) -> None:
    """A port already taken or an address not of this machine is one line and exit 2
    (uvicorn would log it and exit 1)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"无法解析监听地址 {host}：{exc.strerror}", f"cannot resolve the address {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError(f"无法在 {host}:{port} 上监听：{exc.strerror}", f"cannot listen on {host}:{port}: {exc.strerror}") from None
