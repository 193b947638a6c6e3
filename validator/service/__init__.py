"""`selfeval serve`: the checks over HTTP.

`settings.py` what a server is started with; `checker.py` the compiled rules shared by
every request and one check of an upload (no HTTP in it, so it runs in a thread or in a
worker process alike); `app.py` the Starlette application (uploads, limits, status codes);
`openapi.json` the hand-written description of the endpoints.

Starlette, uvicorn and python-multipart come with the `serve` extra and are imported only
here, never by the rest of selfeval."""
