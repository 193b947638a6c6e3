"""One module per `selfeval` command; each exposes `add_parser(sub, lang)` and `run(args)`."""
