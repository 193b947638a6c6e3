"""Rule packs: loading pack folders, compiling rule files (rule.py), fixtures, lint and
generated docs."""
