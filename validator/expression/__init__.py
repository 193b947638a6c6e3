"""The expression language of rules: parser, compiler, paths, functions and runtime."""
