"""The Starlette application: `POST /v1/check`, `GET /v1/rules`, `GET /v1/health`,
`GET /openapi.json`.

A request's files are saved in a private folder of their own, checked as one submission
off the event loop (in a thread, or in a check worker process: `Settings.executor`) and
removed. Every answer that is not a report is `{"error": "<one line>"}` in the language
asked for; bad input is always a 4xx."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from validator.cli.common import say, split_list
from validator.read import SUPPORTED_SUFFIXES
from validator.service.checker import Checker, Options, Outcome, check_in_worker, error_body, start_worker
from validator.service.settings import Settings

JSON = "application/json"
# Beyond these a request is refused before anything is saved: a submission is a table or
# two and its report, not hundreds of files.
MAX_FILES = 100
MAX_FIELDS = 100
# The longest file name most file systems take, in bytes.
_NAME_BYTES = 255


class _TooLarge(Exception):
    pass


def _error(status: int, zh: str, en: str, lang: str) -> Response:
    return Response(error_body(say(lang, zh, en)), status_code=status, media_type=JSON)


def _lang(value: str | None, default: str) -> str | None:
    """The language asked for; None when it is not one selfeval speaks."""
    if value is None or value == "":
        return default
    return value if value in ("zh", "en") else None


def safe_name(raw: str | None, index: int) -> str:
    """An uploaded file's name as it is saved: the last part of whatever path the client
    sent (either separator), no control characters, never `.` or `..`, at most 255 bytes
    with its suffix kept. A name with nothing left is `file<N>`."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if name.strip(".") == "":
        name = ""
    stem, suffix = os.path.splitext(name)
    if stem.startswith(".") and not suffix:  # ".xlsx": a suffix with no name
        stem, suffix = "", stem
    if not stem:
        stem = f"file{index}"
    while len((stem + suffix).encode("utf-8")) > _NAME_BYTES and stem:
        stem = stem[:-1]
    return stem + suffix


def _unsupported(name: str) -> tuple[str, str]:
    from validator.read.unsupported import reason

    zh, en = reason(Path(name))
    return f"{name}：{zh}", f"{name}: {en}"


class Service:
    """The compiled rules and how checks are run, for the life of one server process."""

    def __init__(self, settings: Settings, checker: Checker | None = None):
        self.settings = settings
        self.checker = checker or Checker(settings)
        self.cap = settings.upload_cap()
        self.pool = None

    def start(self) -> None:
        if self.settings.executor == "process" and self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from validator.check.batch import default_jobs

            # spawn, not fork: the server process has threads (anyio's), and fork copies
            # their locks in whatever state they were.
            self.pool = ProcessPoolExecutor(max_workers=self.settings.processes or default_jobs(),
                                            mp_context=multiprocessing.get_context("spawn"),
                                            initializer=start_worker, initargs=(self.settings.to_env(),))

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def run_check(self, folder: str, names: list[str], options: Options) -> Outcome:
        """The check, off the event loop. The folder outlives a cancelled request until
        the check that reads it has finished."""
        if self.pool is None:
            # anyio waits for the thread even when the request is cancelled.
            return await anyio.to_thread.run_sync(self.checker.check, folder, names, options)
        future = self.pool.submit(check_in_worker, folder, names, options)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            future.add_done_callback(lambda _f: shutil.rmtree(folder, ignore_errors=True))
            raise

    # --- endpoints -----------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        from validator import __version__

        body = {"status": "ok", "version": __version__, "rules": len(self.checker.validator.packset.all_rules()),
                "executor": "process" if self.pool is not None else "thread"}
        return Response(json.dumps(body, ensure_ascii=False), media_type=JSON)

    async def rules(self, request: Request) -> Response:
        return Response(self.checker.rules(), media_type=JSON)

    async def openapi(self, request: Request) -> Response:
        return Response(Path(__file__).with_name("openapi.json").read_bytes(), media_type=JSON)

    async def check(self, request: Request) -> Response:
        query = request.query_params
        lang = _lang(query.get("lang"), self.settings.lang)
        if lang is None:
            return _error(422, f"lang 的取值“{query.get('lang')}”无效（可用：zh、en）",
                          f"lang: invalid value '{query.get('lang')}' (one of: zh, en)", self.settings.lang)
        kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind != "multipart/form-data":
            return _error(415, "请求应为 multipart/form-data，文件放在 file 字段中",
                          "the request must be multipart/form-data with the files in the field 'file'", lang)
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.cap:
            return self._too_large(lang)
        counted = Request(request.scope, self._counting(request.receive))
        try:
            form = await counted.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
        except _TooLarge:
            return self._too_large(lang)
        except HTTPException as exc:  # the body is not valid multipart
            return _error(400, f"请求体无法解析：{exc.detail}", f"the request body cannot be parsed: {exc.detail}", lang)
        try:
            return await self._check_form(form, query, lang)
        finally:
            await form.close()

    def _too_large(self, lang: str) -> Response:
        from validator.limits import shown

        cap = cap_en = shown("file_size", self.cap)
        return _error(413, f"上传内容超过 {cap}（服务的上传上限，见 selfeval serve --max-upload）",
                      f"the upload exceeds {cap_en} (the server's cap, see selfeval serve --max-upload)", lang)

    def _counting(self, receive):
        """The request body as it arrives, refused once it passes the cap whatever
        Content-Length said (it may be absent, or lie)."""
        seen = 0
        cap = self.cap

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise _TooLarge()
            return message

        return counted

    async def _check_form(self, form, query, lang: str) -> Response:
        def values(name: str) -> list[str]:
            got = query.getlist(name) + [v for v in form.getlist(name) if isinstance(v, str)]
            return split_list(got)

        asked_lang = [v for v in form.getlist("lang") if isinstance(v, str)]
        if asked_lang:
            lang = _lang(asked_lang[-1], lang)
            if lang is None:
                return _error(422, f"lang 的取值“{asked_lang[-1]}”无效（可用：zh、en）",
                              f"lang: invalid value '{asked_lang[-1]}' (one of: zh, en)", self.settings.lang)
        fail_on = (values("fail_on") or [self.settings.fail_on])[-1]
        if fail_on not in ("error", "warning"):
            return _error(422, f"fail_on 的取值“{fail_on}”无效（可用：error、warning）",
                          f"fail_on: invalid value '{fail_on}' (one of: error, warning)", lang)
        options = Options(select=tuple(values("select")) if values("select") else self.settings.select,
                          ignore=tuple(values("ignore")) if values("ignore") else self.settings.ignore,
                          packs=tuple(values("pack")) if values("pack") else self.settings.packs,
                          fail_on=fail_on, lang=lang)
        uploads = form.getlist("file")
        if not uploads:
            return _error(422, "没有上传文件：文件应放在 file 字段中（可重复）",
                          "no file uploaded: send the files in the field 'file' (repeatable)", lang)
        if not all(isinstance(u, UploadFile) for u in uploads):
            return _error(422, "file 字段应为文件，而不是文字", "the field 'file' must hold files, not text", lang)
        names = [safe_name(u.filename, i + 1) for i, u in enumerate(uploads)]
        for name in names:
            if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                zh, en = _unsupported(name)
                return _error(415, zh, en, lang)
        twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
        if twice is not None:
            return _error(422, f"两个文件同名：{twice}（同一份提交中的文件应各有其名）",
                          f"two files are named {twice} (the files of one submission need names of their own)", lang)
        try:
            # Unknown codes and packs are refused before anything is saved.
            self.checker.variant(options)
        except Exception as exc:
            from validator.errors import SelfevalError

            if not isinstance(exc, SelfevalError):
                raise
            return Response(error_body(exc.text(lang)), status_code=422, media_type=JSON)
        folder = tempfile.mkdtemp(prefix="selfeval-serve-")  # mode 0700: private to this server
        removed_later = False
        try:
            await anyio.to_thread.run_sync(_save, uploads, folder, names)
            try:
                outcome = await self.run_check(folder, names, options)
            except asyncio.CancelledError:
                removed_later = self.pool is not None
                raise
        finally:
            if not removed_later:
                shutil.rmtree(folder, ignore_errors=True)
        headers = {} if outcome.exit_code is None else {"Selfeval-Exit-Code": str(outcome.exit_code)}
        return Response(outcome.body, status_code=outcome.status, media_type=JSON, headers=headers)


def _save(uploads: list[UploadFile], folder: str, names: list[str]) -> None:
    for upload, name in zip(uploads, names):
        upload.file.seek(0)
        # O_EXCL: the folder is new and names are distinct, so nothing is ever overwritten.
        fd = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(upload.file, out, 1024 * 1024)


def create_app(settings: Settings | None = None, checker: Checker | None = None) -> Starlette:
    """The application. The rules compile here, once; the check worker processes (if
    any) start with the server and stop with it."""
    settings = settings or Settings()
    service = Service(settings, checker)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        service.start()
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(service.stop)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        lang = _lang(request.query_params.get("lang"), settings.lang) or settings.lang
        words = {404: ("没有这个地址；可用：POST /v1/check、GET /v1/rules、GET /v1/health、GET /openapi.json",
                       "no such endpoint; see POST /v1/check, GET /v1/rules, GET /v1/health, GET /openapi.json"),
                 405: ("此地址不接受该请求方法", "this endpoint does not take that method")}
        zh, en = words.get(exc.status_code, (str(exc.detail), str(exc.detail)))
        return Response(error_body(say(lang, zh, en)), status_code=exc.status_code, media_type=JSON,
                        headers=getattr(exc, "headers", None))

    async def internal_error(request: Request, exc: Exception) -> Response:
        from validator.check.engine import describe_exception

        lang = _lang(request.query_params.get("lang"), settings.lang) or settings.lang
        what = describe_exception(exc)
        return Response(error_body(say(lang, f"内部错误：{what}", f"internal error: {what}")), status_code=500, media_type=JSON)

    app = Starlette(
        routes=[
            Route("/v1/check", service.check, methods=["POST"]),
            Route("/v1/rules", service.rules, methods=["GET"]),
            Route("/v1/health", service.health, methods=["GET"]),
            Route("/openapi.json", service.openapi, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error, Exception: internal_error},
        lifespan=lifespan,
    )
    app.state.service = service
    return app


def app_from_environment() -> Starlette:
    """uvicorn's factory in each of its worker processes (`--workers` above 1): the
    settings come in the environment from `selfeval serve`."""
    return create_app(Settings.from_env())
